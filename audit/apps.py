from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    """Who saw, changed, exported or erased personal data, and every login: append-only.

    Field-level before/after history of returnees and cases is django-auditlog's (signals,
    any database; registered by the domain in `coordinators/apps.py`); this app logs what
    auditlog does not: reads, exports, downloads, logins. It imports no domain model.
    """

    name = "audit"
    verbose_name = _("Audit trail")

    def ready(self):
        from . import receivers  # noqa: F401 - connects the login signals
