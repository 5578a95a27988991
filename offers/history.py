"""The past, in bulk (the history import, demo and benchmark data): unsaved versions dated as
given, as `offer_create_draft` and `offer_send` would have left them then, without items."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from coordinators.models import Case, User
from coordinators.services.history import Step

from .models import Offer
from .services import offer_default_language


def offer_version_build(
    *,
    case: Case,
    version: int = 1,
    created_at: datetime,
    sent_at: datetime | None = None,
    created_by: User | None = None,
    imported: bool = False,
) -> Offer:
    """An unsaved offer version prepared at `created_at`: a draft, or sent at `sent_at`, in the
    language `offer_create_draft` would choose."""
    offer = Offer(
        case=case,
        version=version,
        language=offer_default_language(case),
        status=Offer.Status.SENT if sent_at else Offer.Status.DRAFT,
        sent_at=sent_at,
        created_by=created_by,
        created_at=created_at,
        imported=imported,
    )
    offer.snapshots_fill()  # bulk_create skips save(): where the case is now
    return offer


def offers_from_history(
    *, case: Case, steps: Iterable[Step], prepared_before: timedelta = timedelta(days=2)
) -> list[Offer]:
    """One sent offer version for each step to "offer sent" (as `offer_send` moves the case),
    prepared `prepared_before` earlier by the step's actor."""
    sent = [step for step in steps if step.status == Case.Status.OFFER_SENT]
    return [
        offer_version_build(
            case=case,
            version=version,
            created_at=step.when - prepared_before,
            sent_at=step.when,
            created_by=step.actor,
        )
        for version, step in enumerate(sent, start=1)
    ]
