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
            Returnee,
            exclude_fields=[
                "updated_at", "search_text", "name_key", "email_key", *_reverse_one_to_one(Returnee)
            ],
        )  # fmt: skip
        auditlog.register(HouseholdMember)
        auditlog.register(
            Case,
            exclude_fields=["updated_at", *_reverse_one_to_one(Case)],
            m2m_fields={"needs"},
        )
        # A corrected contact keeps what it said before (erasure empties this too).
        auditlog.register(Interaction, exclude_fields=_reverse_one_to_one(Interaction))


def _reverse_one_to_one(model) -> list[str]:
    """Another table's row pointing at this one (a returnee's erasure, a case's reply
    address): never a change of this row, and reading it for the diff costs a query on every
    save (issue 16)."""
    return [
        field.name
        for field in model._meta.get_fields()
        if field.one_to_one and field.auto_created and not field.concrete
    ]
