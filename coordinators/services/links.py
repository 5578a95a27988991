"""The person's personal links: issued for each mail, resolved by the returnee's page,
revoked by a coordinator or by erasure. Only the token's hash is stored."""

from __future__ import annotations

import datetime
import hashlib
import secrets

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from common.urls import absolute_url

from ..models import PersonalLink, Returnee


def personal_link_hash(token: str) -> str:
    """What the database keeps of a token."""
    return hashlib.sha256(token.encode()).hexdigest()


def personal_link_issue(*, returnee: Returnee, now: datetime.datetime | None = None) -> str:
    """A new link for the person; returns the raw token (once: it is not stored)."""
    now = now or timezone.now()
    token = secrets.token_urlsafe(32)
    link = PersonalLink(
        returnee=returnee,
        token_hash=personal_link_hash(token),
        created_at=now,
        expires_at=now + datetime.timedelta(days=settings.PERSONAL_LINK_DAYS),
    )
    # No full_clean(): nothing here is typed by anyone, and its unique check and foreign-key
    # lookup would cost two queries on every mail; the database's constraints still hold.
    link.save()
    return token


def personal_link_url(*, returnee: Returnee) -> str:
    """A new link's address for a mail to the person (the mail's body is its only copy)."""
    token = personal_link_issue(returnee=returnee)
    return absolute_url(reverse("returnee:open", kwargs={"token": token}))


def personal_link_resolve(*, token: str) -> PersonalLink | None:
    """The usable link for this token, marked as used; None for a wrong, expired or
    revoked one (the caller cannot tell them apart, and neither can the person)."""
    if not token or len(token) > 200:
        return None
    link = (
        PersonalLink.objects.usable()
        .select_related("returnee")
        .filter(token_hash=personal_link_hash(token))
        .first()
    )
    if link is not None:
        link.last_used_at = timezone.now()
        link.save(update_fields=["last_used_at"])
    return link


def personal_link_active(*, link_id: object) -> PersonalLink | None:
    """The link a session holds, while it is still usable (a revocation ends the session)."""
    if not isinstance(link_id, int):
        return None
    return PersonalLink.objects.usable().select_related("returnee").filter(pk=link_id).first()


@transaction.atomic
def personal_links_revoke(*, returnee: Returnee) -> int:
    """Revoke every usable link of the person (their open pages close too); the count."""
    return PersonalLink.objects.usable().filter(returnee=returnee).update(revoked_at=timezone.now())
