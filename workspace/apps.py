from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkspaceConfig(AppConfig):
    """The staff UI above the domain core and offers: dashboard, case list, case page,
    municipality requests. No models of its own."""

    name = "workspace"
    verbose_name = _("Workspace")

    def ready(self):
        from privacy.signals import returnee_erased

        from .services import case_search_sessions_forget

        # An erased person's name must not stay as a coworker's last search either.
        returnee_erased.connect(case_search_sessions_forget, dispatch_uid="workspace_search")
