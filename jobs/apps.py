from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    """Scheduled jobs and the worker that runs them and the background tasks.

    A leaf like the outbox: it imports no domain module; the schedule names tasks by their
    dotted path, so every job is defined once, in `jobs/schedule.py`."""

    name = "jobs"
    verbose_name = _("Scheduled jobs")
