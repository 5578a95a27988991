"""URLs after return: the survey by its signed link, the report of unmet needs."""

from django.urls import path

from . import views

app_name = "aftercare"

urlpatterns = [
    path("", views.UnmetNeedsView.as_view(), name="report"),
    path("survey/<str:token>/", views.SurveyView.as_view(), name="survey"),
]
