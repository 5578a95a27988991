"""The accounts' mails: the password reset link, composed by the worker (`accounts.tasks`),
never in the request, so a known address takes as long as an unknown one; and the link with
which a national administrator sets up two-factor authentication."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.tokens import default_token_generator
from django.template import loader
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext

from common.urls import absolute_url
from outbox.models import Email
from outbox.services import email_enqueue

if TYPE_CHECKING:
    from coordinators.models import User

SUBJECT_TEMPLATE = "accounts/password_reset_subject.txt"
BODY_TEMPLATE = "accounts/password_reset_email.txt"


def password_reset_mail(*, email: str, language: str) -> int:
    """Queue a reset link for each active user with this address and a usable password (as
    Django's PasswordResetForm picks them); the link is on PORTAL_URL, never on a request's
    Host. Returns how many mails were queued (0 for an unknown address)."""
    queued = 0
    for user in PasswordResetForm().get_users(email):
        link = reverse(
            "accounts:password_reset_confirm",
            kwargs={
                "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
                "token": default_token_generator.make_token(user),
            },
        )
        context = {"user": user, "reset_url": absolute_url(link)}
        with translation.override(language):
            subject = "".join(loader.render_to_string(SUBJECT_TEMPLATE, context).splitlines())
            body = loader.render_to_string(BODY_TEMPLATE, context)
        email_enqueue(
            to=user.email, subject=subject, body=body, purpose=Email.Purpose.PASSWORD_RESET
        )
        queued += 1
    return queued


def enrolment_link_mail(*, user: User, url: str) -> Email:
    """The link another national administrator made (staff mail: in Latvian)."""
    with translation.override("lv"):
        subject = gettext("Remigration portal: set up two-factor authentication")
        body = loader.render_to_string(
            "accounts/enrolment_link_email.txt", {"user": user, "url": url}
        )
    return email_enqueue(
        to=user.email, subject=subject, body=body, purpose=Email.Purpose.TWO_FACTOR_ENROLMENT
    )
