from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoordinatorsConfig(AppConfig):
    """Staff users and roles, returnees, cases, interactions and the case pipeline."""

    name = "coordinators"
    verbose_name = _("Cases")

    def ready(self):
        from auditlog.registry import auditlog

        from .models import Case, HouseholdMember, Interaction, Returnee

        # Field-level before/after history of the personal data (erasure empties it).
        # The search and duplicate keys are derived from the fields logged: not copied again.
        auditlog.register(
            Returnee, exclude_fields=["updated_at", "search_text", "name_key", "email_key"]
        )
        auditlog.register(HouseholdMember)
        auditlog.register(Case, exclude_fields=["updated_at"], m2m_fields={"needs"})
        # A corrected contact keeps what it said before (erasure empties this too).
        auditlog.register(Interaction)
