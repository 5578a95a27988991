from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MunicipalitiesConfig(AppConfig):
    """Planning regions, municipalities, need categories and the municipal service catalogue."""

    name = "municipalities"
    verbose_name = _("Municipalities")
