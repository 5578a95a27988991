"""The coordinators' daily digest of follow-ups due."""

import datetime
from typing import TextIO

from django.db import transaction
from django.utils import timezone

from .. import emails
from ..selectors.cases import followup_due_by_coordinator


def followup_digest_send(
    *, today: datetime.date | None = None, stdout: TextIO | None = None
) -> tuple[int, int]:
    """E-mail each coordinator the references of their cases due for a follow-up today or
    overdue. Returns (digests queued, cases listed)."""
    today = today or timezone.localdate()
    digests = listed = 0
    for coordinator, cases in followup_due_by_coordinator(today=today).items():
        if not coordinator.email:
            continue
        with transaction.atomic():
            emails.followup_digest_enqueue(coordinator=coordinator, cases=cases, today=today)
        digests += 1
        listed += len(cases)
        if stdout is not None:
            stdout.write(f"{coordinator.get_username()}: {len(cases)}")
    return digests, listed
