"""Two-factor authentication with TOTP apps (django-otp)."""

from __future__ import annotations

import hashlib
import io
import secrets
from datetime import timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.qr import write_qrcode_image

from audit.services import audit_second_factor_failed
from common.errors import DomainError
from common.urls import absolute_url

from .emails import enrolment_link_mail
from .models import EnrolmentLink

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from accounts.http import AuthenticatedHttpRequest
    from coordinators.models import User

WRONG_CODE = _("The code is not right or has expired. Enter the current 6-digit code.")
DEVICE_NAME = "authenticator app"
ENROLMENT_LINK_LIFETIME = timedelta(hours=24)
ENROLMENT_SALT = "accounts.enrolment-link"
# The session's permission to set up a device, given by a valid enrolment link.
ENROLMENT_SESSION_KEY = "accounts_enrolment_allowed"
NOT_FOR_YOURSELF = _("Another national administrator must make your enrolment link.")
ALREADY_ENROLLED = _("This user already has an authenticator app.")
NO_ADDRESS = _("This user has no e-mail address: give them the link another way.")


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


def enrolment_link_required(user: User) -> bool:
    """A national administrator may not set up their second factor with the password alone:
    whoever learned the password would then own the account for good."""
    return user.is_national_admin


def enrolment_allowed(*, request: AuthenticatedHttpRequest) -> bool:
    """May this session see the QR code and the key of a new device?"""
    user = request.user
    return not enrolment_link_required(user) or request.session.get(ENROLMENT_SESSION_KEY) == (
        user.pk
    )


def enrolment_link_create(*, user: User, created_by: User | None) -> str:
    """A signed link for `user` alone, valid once within 24 hours: its absolute URL. Made by
    another administrator (None: the server's operator, `manage.py enrolment_link`)."""
    if created_by is not None and created_by.pk == user.pk:
        raise DomainError(NOT_FOR_YOURSELF)
    if user_has_device(user, confirmed=True):
        raise DomainError(ALREADY_ENROLLED)
    nonce = secrets.token_urlsafe(32)
    now = timezone.now()
    EnrolmentLink.objects.create(
        user=user, created_by=created_by, nonce_hash=_hash(nonce),
        created_at=now, expires_at=now + ENROLMENT_LINK_LIFETIME,
    )  # fmt: skip
    token = signing.dumps({"user": user.pk, "nonce": nonce}, salt=ENROLMENT_SALT)
    return absolute_url(reverse("accounts:two_factor_enrol", kwargs={"token": token}))


@transaction.atomic
def enrolment_link_send(*, user: User, created_by: User) -> EnrolmentLink:
    """Make the link and mail it to the user through the outbox (in this transaction)."""
    if not user.email:
        raise DomainError(NO_ADDRESS)
    url = enrolment_link_create(user=user, created_by=created_by)
    enrolment_link_mail(user=user, url=url)
    return EnrolmentLink.objects.filter(user=user).latest("created_at")


def enrolment_link_use(*, request: AuthenticatedHttpRequest, token: str) -> bool:
    """Open the link: True (and this session may set up a device) when it is well signed,
    the logged-in user's, younger than 24 hours and not used before; it is used up then."""
    try:
        payload = signing.loads(token, salt=ENROLMENT_SALT, max_age=ENROLMENT_LINK_LIFETIME)
    except signing.BadSignature:  # SignatureExpired is one too
        return False
    if not isinstance(payload, dict) or payload.get("user") != request.user.pk:
        return False
    now = timezone.now()
    used = EnrolmentLink.objects.filter(
        user=request.user, nonce_hash=_hash(str(payload.get("nonce"))),
        used_at__isnull=True, expires_at__gt=now,
    ).update(used_at=now)  # fmt: skip
    if used:
        # A key made before the link (one a password alone once reached) may be known to
        # somebody else: the link's set-up starts from a new one.
        TOTPDevice.objects.filter(user=request.user, confirmed=False).delete()
        request.session[ENROLMENT_SESSION_KEY] = request.user.pk
    return bool(used)


def _hash(nonce: str) -> str:
    return hashlib.sha256(nonce.encode()).hexdigest()


@transaction.atomic
def totp_confirm(*, request: AuthenticatedHttpRequest, token: str) -> bool:
    """Confirm the pending device with its first code and mark this session verified."""
    device = totp_pending_device(user=request.user)
    if not device.verify_token(token):
        audit_second_factor_failed(request=request)
        return False
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=request.user, confirmed=False).delete()
    request.session.pop(ENROLMENT_SESSION_KEY, None)
    otp_login(request, device)
    return True


def totp_verify(*, request: AuthenticatedHttpRequest, token: str) -> bool:
    """Check a code from any of the user's confirmed devices; mark the session verified."""
    for device in TOTPDevice.objects.devices_for_user(request.user, confirmed=True):
        if device.verify_token(token):
            otp_login(request, device)
            return True
    audit_second_factor_failed(request=request)
    return False


def password_reset_request(*, email: str, language: str) -> None:
    """Ask the worker to send a reset link to the address if a user has it: the same one
    INSERT into the task table whether anybody has it or not. The address is in the task's
    arguments only, never in a log. (No row waits for a commit, so it is enqueued at once.)"""
    from .tasks import password_reset_mail_task

    password_reset_mail_task.enqueue(email=email, language=language)
