"""Contacts with the person, and the follow-up date they set."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.errors import DomainError

from ..models import Case, Interaction, User
from .versions import case_version_check

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

INTERACTION_IN_FUTURE = _(
    "A contact cannot be dated in the future. To plan the next contact, set the follow-up date."
)
FOLLOW_UP_BEFORE_INTERACTION = _("The next follow-up cannot be before the contact's date.")


def interaction_dates_check(
    *,
    occurred_on: datetime.date | None,
    follow_up_on: datetime.date | None,
    today: datetime.date | None = None,
) -> dict[str, StrOrPromise]:
    """Errors, by field name, for the dates of a contact (empty when they are fine)."""
    today = today or timezone.localdate()
    errors: dict[str, StrOrPromise] = {}
    if occurred_on and occurred_on > today:
        errors["occurred_on"] = INTERACTION_IN_FUTURE
    if occurred_on and follow_up_on and follow_up_on < occurred_on:
        errors["follow_up_on"] = FOLLOW_UP_BEFORE_INTERACTION
    return errors


@transaction.atomic
def interaction_log(
    *,
    case: Case,
    kind: str,
    occurred_on: datetime.date,
    summary: str,
    follow_up_on: datetime.date | None = None,
    author: User | None,
    version: str | None = None,
) -> Interaction:
    """Record a contact with the person and set the case's next follow-up date from it.

    Logging a contact settles the previous follow-up, so an empty follow-up clears it;
    `version` is the follow-up the user saw, so another's newer plan is not cleared unseen.
    """
    locked = Case.objects.select_for_update().get(pk=case.pk)
    case_version_check(locked=locked, version=version, fields=("next_follow_up",))
    errors = interaction_dates_check(occurred_on=occurred_on, follow_up_on=follow_up_on)
    if errors:
        raise DomainError(next(iter(errors.values())))
    interaction = Interaction(
        case=case,
        kind=kind,
        occurred_on=occurred_on,
        summary=summary,
        follow_up_on=follow_up_on,
        author=author,
    )
    interaction.full_clean()
    interaction.save()
    case.next_follow_up = follow_up_on
    case.save(update_fields=["next_follow_up", "updated_at"])
    return interaction
