"""Reads of the accounts app."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet
from django_otp.plugins.otp_totp.models import TOTPDevice

from coordinators.models import User


def users_awaiting_enrolment(*, user: User) -> QuerySet[User]:
    """Active national administrators other than `user` without a confirmed authenticator
    app: the ones `user` may make an enrolment link for."""
    confirmed = TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)
    return (
        User.objects.filter(Q(role=User.Role.NATIONAL_ADMIN) | Q(is_superuser=True))
        .filter(is_active=True)
        .exclude(pk=user.pk)
        .exclude(Exists(confirmed))
        .order_by("username")
    )
