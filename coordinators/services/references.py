"""Case reference numbers like KUR-2026-00042: per region (LV- for the national queue) and year."""

from django.db import transaction

from municipalities.models import PlanningRegion

from ..models import ReferenceSequence

NATIONAL_QUEUE_PREFIX = "LV"


def reference_allocate(*, prefix: str, year: int, count: int = 1) -> list[str]:
    """Hand out `count` consecutive case numbers for prefix and year, safe under concurrency:
    the sequence's row stays locked until the caller's transaction ends."""
    # No savepoint of its own: in the caller's transaction, or one of its own when alone.
    with transaction.atomic(savepoint=False):
        sequence, _created = ReferenceSequence.objects.select_for_update().get_or_create(
            prefix=prefix, year=year
        )
        # Locked: nobody else moves last_number until we commit, so one UPDATE is enough.
        sequence.last_number += count
        sequence.save(update_fields=["last_number"])
    first = sequence.last_number - count + 1
    return [f"{prefix}-{year}-{number:05d}" for number in range(first, sequence.last_number + 1)]


def reference_prefix(planning_region: PlanningRegion | None) -> str:
    """The region's code, or LV for a case in the national queue."""
    return planning_region.code if planning_region else NATIONAL_QUEUE_PREFIX
