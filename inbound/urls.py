"""URLs of incoming mail: the national inbox, a case's received mail, a file."""

from django.urls import path

from . import views

app_name = "inbound"

urlpatterns = [
    path("inbox/", views.InboxView.as_view(), name="inbox"),
    path("inbox/<int:pk>/assign/", views.InboxAssignView.as_view(), name="assign"),
    path("inbox/<int:pk>/dismiss/", views.InboxDismissView.as_view(), name="dismiss"),
    path("inbox/files/<uuid:pk>/", views.AttachmentDownloadView.as_view(), name="attachment"),
    path("cases/<str:reference>/mail/", views.CaseMailView.as_view(), name="case_mail"),
]
