from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OffersConfig(AppConfig):
    """Individual offers: their versions, sections, PDF and sending."""

    name = "offers"
    verbose_name = _("Individual offers")
