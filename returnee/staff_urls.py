"""The coordinator's pages about the person's page, under the case (the reference only)."""

from django.urls import path

from .views import staff

app_name = "returnee_staff"

urlpatterns = [
    path(
        "cases/<str:reference>/documents/<uuid:document_id>/",
        staff.DocumentDownloadView.as_view(),
        name="document_download",
    ),
    path(
        "cases/<str:reference>/personal-links/revoke/",
        staff.PersonalLinksRevokeView.as_view(),
        name="links_revoke",
    ),
]
