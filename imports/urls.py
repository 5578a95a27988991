"""URLs of the history import, under /imports/; a job is named by its random id."""

from django.urls import path

from . import views

app_name = "imports"

urlpatterns = [
    path("", views.UploadView.as_view(), name="upload"),
    path("template.xlsx", views.TemplateFileView.as_view(kind="xlsx"), name="template_xlsx"),
    path("template.csv", views.TemplateFileView.as_view(kind="csv"), name="template_csv"),
    path("<uuid:job_id>/", views.JobView.as_view(), name="job"),
    path("<uuid:job_id>/import/", views.StartView.as_view(), name="start"),
    path("<uuid:job_id>/discard/", views.DiscardView.as_view(), name="discard"),
]
