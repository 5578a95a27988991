"""URLs of the grant competition."""

from django.urls import path

from .views import applications, calls, committee, exports

app_name = "grants"

urlpatterns = [
    path("", calls.CallListView.as_view(), name="call_list"),
    path("new/", calls.CallCreateView.as_view(), name="call_create"),
    path("<int:pk>/", calls.CallDetailView.as_view(), name="call_detail"),
    path("<int:pk>/apply/", applications.ApplicationCreateView.as_view(), name="apply"),
    path("<int:pk>/decision/", committee.DecisionView.as_view(), name="decision"),
    path("<int:pk>/export.xlsx", exports.call_xlsx, name="export_xlsx"),
    path("<int:pk>/export.pdf", exports.call_pdf, name="export_pdf"),
    path("<int:pk>/pdf/<uuid:export_id>/", exports.call_pdf_download, name="pdf_download"),
    path(
        "applications/<int:pk>/",
        applications.ApplicationDetailView.as_view(),
        name="application_detail",
    ),
    path(
        "applications/<int:pk>/activities/",
        applications.ActivityAddView.as_view(),
        name="activity_add",
    ),
    path(
        "applications/<int:pk>/activities/<int:activity_id>/delete/",
        applications.ActivityDeleteView.as_view(),
        name="activity_delete",
    ),
    path(
        "applications/<int:pk>/activities/<int:activity_id>/report/",
        applications.ActivityReportView.as_view(),
        name="activity_report",
    ),
    path(
        "applications/<int:pk>/submit/",
        applications.ApplicationSubmitView.as_view(),
        name="submit",
    ),
    path("applications/<int:pk>/score/", committee.ScoreView.as_view(), name="score"),
    path("applications/<int:pk>/conflict/", committee.ConflictView.as_view(), name="conflict"),
]
