"""The outbox's answer for /healthz (settings.HEALTH_CHECKS): no addresses, no texts."""

from datetime import datetime

from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone

from .models import Email
from .services import sending_paused


def outbox_health(*, now: datetime | None = None) -> tuple[bool, dict[str, object]]:
    """For /healthz: the oldest due mail is younger than OUTBOX_MAX_DELAY_MINUTES and no mail
    has been preparing longer than that; how many mails have been given up (they wait for a
    person). No addresses, no texts."""
    now = now or timezone.now()
    oldest = Email.objects.due(now).values_list("next_attempt_at", flat=True).first()
    waiting = (now - oldest).total_seconds() if oldest else 0.0
    limit = settings.OUTBOX_MAX_DELAY_MINUTES * 60
    stuck = Email.objects.preparing_too_long(now)
    counts = Email.objects.aggregate(  # one query for both counts
        failed=Count("pk", filter=Q(status=Email.Status.FAILED)),
        preparing=Count("pk", filter=Q(pk__in=stuck.values("pk"))),
    )
    preparing = counts["preparing"]
    detail: dict[str, object] = {
        "oldest_due_seconds": round(waiting),
        "failed": counts["failed"],
        "preparing_too_long": preparing,
        "paused": sending_paused(now),
    }
    return waiting <= limit and not preparing, detail
