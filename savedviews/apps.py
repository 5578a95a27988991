from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SavedViewsConfig(AppConfig):
    """A user's saved case-list views: a name and the list's filters."""

    name = "savedviews"
    verbose_name = _("Saved views")
