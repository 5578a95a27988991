from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntakeConfig(AppConfig):
    """The public "Dod ziņu!" form: no models of its own, it writes through the domain core."""

    name = "intake"
    verbose_name = _("Contact form")
