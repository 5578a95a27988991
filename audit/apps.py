from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    """Who saw, changed, exported or erased personal data, and every login: append-only.

    Field-level before/after history of returnees and cases is django-auditlog's (signals,
    any database); this app logs what auditlog does not: reads, exports, downloads, logins.
    """

    name = "audit"
    verbose_name = _("Audit trail")

    def ready(self):
        from auditlog.registry import auditlog

        from coordinators.models import Case, HouseholdMember, Returnee

        from . import receivers  # noqa: F401 - connects the login signals

        auditlog.register(Returnee, exclude_fields=["updated_at"])
        auditlog.register(HouseholdMember)
        auditlog.register(Case, exclude_fields=["updated_at"], m2m_fields={"needs"})
