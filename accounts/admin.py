"""Audited reads for the admins that cannot take the mixin themselves.

The outbox is a leaf beside audit (it imports no other app), and django-auditlog's LogEntry
admin is a library's: mail texts and field histories are personal data, so the back office
registers both again here with audit.admin_reads.AuditedReadsMixin in front.
"""

from auditlog.models import LogEntry
from django.contrib import admin

from audit.admin_reads import AuditedReadsMixin
from outbox.models import Email


def audited_admin_register(model):
    """Register `model` again with its admin's class behind the audited-reads mixin."""
    current = type(admin.site.get_model_admin(model))
    admin.site.unregister(model)
    audited = type(f"Audited{current.__name__}", (AuditedReadsMixin, current), {})
    audited.audit_changelist = True
    admin.site.register(model, audited)


for model in (Email, LogEntry):
    audited_admin_register(model)
