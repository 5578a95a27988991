from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkspaceConfig(AppConfig):
    """The staff UI above the domain core and offers: dashboard, case list, case page,
    municipality requests. No models of its own."""

    name = "workspace"
    verbose_name = _("Workspace")
