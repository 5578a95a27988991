"""Audited reads for the admins that cannot take the mixin themselves.

The outbox is a leaf beside audit (it imports no other app), and django-auditlog's LogEntry
admin is a library's: mail texts and field histories are personal data, so the back office
registers both again here with audit.admin_reads.AuditedReadsMixin in front.
"""

from auditlog.models import LogEntry
from django.contrib import admin
from django_otp.plugins.otp_totp.models import TOTPDevice

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


class DeviceAdminReadOnly:
    """Second factors come only from enrolment links (accounts/services.py): the device admin
    shows them; a lost phone's device is removed by a superuser, never added or changed here
    (an administrator could otherwise add a device with a key of their choosing to anyone)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


def device_admin_lock() -> None:
    current = type(admin.site.get_model_admin(TOTPDevice))
    admin.site.unregister(TOTPDevice)
    admin.site.register(TOTPDevice, type("TOTPDeviceAdmin", (DeviceAdminReadOnly, current), {}))


device_admin_lock()
