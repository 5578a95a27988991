from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TransfersConfig(AppConfig):
    """Handing a case to another planning region: proposed, then accepted or declined."""

    name = "transfers"
    verbose_name = _("Transfers between regions")
