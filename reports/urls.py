"""URLs of the report page and its exports; every one takes the same query string."""

from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.report_page, name="report"),
    path("export.xlsx", views.report_xlsx, name="export_xlsx"),
    path("export.csv", views.report_csv, name="export_csv"),
    path("export.pdf", views.report_pdf, name="export_pdf"),
    path("cases.csv", views.case_export_csv, name="case_export"),
]
