from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    """The programme's figures by period, region and municipality, with charts and exports."""

    name = "reports"
    verbose_name = _("Reports")
