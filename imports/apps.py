from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportsConfig(AppConfig):
    """A region's history brought in from a spreadsheet: checked first, then imported."""

    name = "imports"
    verbose_name = _("History import")

    def ready(self):
        from privacy.signals import returnee_erased

        from .services.jobs import import_jobs_forget_person

        returnee_erased.connect(import_jobs_forget_person, dispatch_uid="imports_forget_person")
