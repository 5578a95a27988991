from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoordinatorsConfig(AppConfig):
    """Staff users and roles, returnees, cases, interactions and the case pipeline."""

    name = "coordinators"
    verbose_name = _("Cases")
