from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DuplicatesConfig(AppConfig):
    """Probable duplicates of a person (the same person registered twice) and their merge."""

    name = "duplicates"
    verbose_name = _("Duplicates")
