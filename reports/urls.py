"""URLs of the report page and its exports; every one takes the same query string (except
the download of a prepared PDF, which is named by its random id)."""

from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.report_page, name="report"),
    path("export.xlsx", views.report_xlsx, name="export_xlsx"),
    path("export.csv", views.report_csv, name="export_csv"),
    path("pdf/", views.report_pdf_prepare, name="pdf_prepare"),
    path("pdf/<uuid:export_id>/", views.report_pdf_download, name="pdf_download"),
    path("cases.csv", views.case_export_csv, name="case_export"),
    path("periods/", views.closed_period_list, name="periods"),
    path("periods/<int:period_id>/reopen/", views.closed_period_reopen_view, name="period_reopen"),
]
