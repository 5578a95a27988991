"""Logins, logouts and failed logins go to the audit trail."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from .models import AuditEntry
from .services import audit_record


@receiver(user_logged_in)
def record_login(sender, request, user, **kwargs):
    audit_record(action=AuditEntry.Action.LOGIN, request=request, actor=user)


@receiver(user_logged_out)
def record_logout(sender, request, user, **kwargs):
    if user is not None:
        audit_record(action=AuditEntry.Action.LOGOUT, request=request, actor=user)


@receiver(user_login_failed)
def record_failed_login(sender, credentials, request=None, **kwargs):
    # The login name tried is kept (it shows attacks); the password never is.
    audit_record(
        action=AuditEntry.Action.LOGIN_FAILED,
        request=request,
        username=str(credentials.get("username", "")),
    )
