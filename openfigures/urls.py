"""The public figures: /figures/ (and /en/, /ru/), the widget and the JSON."""

from django.urls import path

from . import views

app_name = "openfigures"

urlpatterns = [
    path("figures/", views.FiguresPageView.as_view(), name="page"),
    path("figures/widget/", views.FiguresWidgetView.as_view(), name="widget"),
    path("figures/figures.json", views.FiguresJsonView.as_view(), name="json"),
]
