from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GrantsConfig(AppConfig):
    """The municipalities' grant competition: calls, applications, scoring, awards, reports."""

    name = "grants"
    verbose_name = _("Grant competition")

    def ready(self):
        from auditlog.registry import auditlog

        from .models import Application, Call, ConflictDeclaration, Score

        # The audit trail of the committee's work: who scored, who declared a conflict,
        # the decision and every awarded sum, field by field.
        auditlog.register(Call)
        auditlog.register(Application, exclude_fields=["updated_at"])
        auditlog.register(Score)
        auditlog.register(ConflictDeclaration)
