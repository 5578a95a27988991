"""Reads of transfers: the proposals waiting for a region, a user's transfer list."""

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet

from coordinators.models import User

from .models import CaseTransfer


def transfer_list(*, user: User | AnonymousUser, status: str = "") -> QuerySet[CaseTransfer]:
    """The transfers a user may see, newest first, with what a list row shows."""
    transfers = CaseTransfer.objects.visible_to(user).select_related(
        "case", "from_region", "to_region", "proposed_by", "decided_by"
    )
    if status:
        transfers = transfers.filter(status=status)
    return transfers


def transfers_waiting_count(*, user: User | AnonymousUser) -> int:
    """How many proposals wait for this user's decision (one query)."""
    if not (user.is_authenticated and user.is_regional_coordinator):
        return 0
    return CaseTransfer.objects.decidable_by(user).count()
