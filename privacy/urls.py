from django.urls import path

from . import views

app_name = "privacy"

urlpatterns = [
    path("cases/<str:reference>/privacy/", views.CasePrivacyView.as_view(), name="case"),
    path("cases/<str:reference>/privacy/export/", views.DataExportView.as_view(), name="export"),
    path(
        "cases/<str:reference>/privacy/exports/<uuid:export_id>/",
        views.DataExportDownloadView.as_view(),
        name="export_download",
    ),
    path("cases/<str:reference>/privacy/erase/", views.ErasureView.as_view(), name="erase"),
]
