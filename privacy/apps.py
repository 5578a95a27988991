from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    """GDPR rights: a person's data as a ZIP, erasure that keeps the statistics, retention."""

    name = "privacy"
    verbose_name = _("Personal data")
