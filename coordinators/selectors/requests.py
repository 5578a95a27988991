"""Reads of municipality requests."""

from django.db.models import QuerySet

from ..models import MunicipalityRequest, User


def municipality_requests_for_specialist(
    *, user: User, status: str | None = None
) -> QuerySet[MunicipalityRequest]:
    """Requests addressed to a specialist's municipality, newest first."""
    queryset = (
        MunicipalityRequest.objects.visible_to(user)
        .select_related("case", "need", "municipality", "case__returnee")
        .prefetch_related("case__returnee__household")
    )
    if status:
        queryset = queryset.filter(status=status)
    return queryset.order_by("-created_at")
