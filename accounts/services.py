"""Two-factor authentication with TOTP apps (django-otp)."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.qr import write_qrcode_image

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from accounts.http import AuthenticatedHttpRequest
    from coordinators.models import User

WRONG_CODE = _("The code is not right or has expired. Enter the current 6-digit code.")
DEVICE_NAME = "authenticator app"


def two_factor_required(user: User | AnonymousUser) -> bool:
    """National administrators must use it; anyone who turned it on keeps using it."""
    if not user.is_authenticated:
        return False
    if user.is_national_admin and settings.OTP_REQUIRED_FOR_NATIONAL_ADMINS:
        return True
    has_device: bool = user_has_device(user, confirmed=True)  # django-otp has no types
    return has_device


def totp_pending_device(*, user: User) -> TOTPDevice:
    """The not yet confirmed device whose QR code the user is scanning (made once)."""
    device, _created = TOTPDevice.objects.get_or_create(
        user=user, confirmed=False, defaults={"name": DEVICE_NAME}
    )
    return device


def totp_qr_svg(device: TOTPDevice) -> str:
    buffer = io.BytesIO()
    write_qrcode_image(device.config_url, buffer)
    return buffer.getvalue().decode()


@transaction.atomic
def totp_confirm(*, request: AuthenticatedHttpRequest, token: str) -> bool:
    """Confirm the pending device with its first code and mark this session verified."""
    device = totp_pending_device(user=request.user)
    if not device.verify_token(token):
        return False
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=request.user, confirmed=False).delete()
    otp_login(request, device)
    return True


def totp_verify(*, request: AuthenticatedHttpRequest, token: str) -> bool:
    """Check a code from any of the user's confirmed devices; mark the session verified."""
    for device in TOTPDevice.objects.devices_for_user(request.user, confirmed=True):
        if device.verify_token(token):
            otp_login(request, device)
            return True
    return False


def password_reset_request(*, email: str, language: str) -> None:
    """Ask the worker to send a reset link to the address if a user has it: the same one
    INSERT into the task table whether anybody has it or not. The address is in the task's
    arguments only, never in a log. (No row waits for a commit, so it is enqueued at once.)"""
    from .tasks import password_reset_mail_task

    password_reset_mail_task.enqueue(email=email, language=language)
