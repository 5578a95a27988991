"""Reads of incoming mail, each through the one scope of cases: the national inbox for
national administrators, a case's mail (and its files) for whoever sees the case."""

from django.db.models import Q, QuerySet

from coordinators.models import Case, User

from .models import InboundAttachment, InboundMessage

SORTS = {"newest": ("-received_at", "-id"), "oldest": ("received_at", "id")}


def inbox_list(*, user: User, search: str = "", sort: str = "newest") -> QuerySet[InboundMessage]:
    """The national inbox (national administrators only; nobody else sees mail of no case),
    searched in sender and subject."""
    if not (user.is_active and user.is_national_admin):
        return InboundMessage.objects.none()
    messages: QuerySet[InboundMessage] = InboundMessage.objects.unmatched().prefetch_related(
        "attachments"
    )
    if search:
        messages = messages.filter(Q(from_address__icontains=search) | Q(subject__icontains=search))
    return messages.order_by(*SORTS.get(sort, SORTS["newest"]))


def case_messages(*, case: Case) -> QuerySet[InboundMessage]:
    """The mail received on a case the caller has already found in the user's scope."""
    return (
        InboundMessage.objects.filter(case=case)
        .prefetch_related("attachments")
        .order_by("-received_at", "-id")
    )


def attachment_for_user(*, user: User, attachment_id: str) -> InboundAttachment | None:
    """A file of a message on a case the user sees, or, for a national administrator, of a
    message still in the inbox; None otherwise (the caller answers 404 either way)."""
    visible = Q(message__case__in=Case.objects.visible_to(user))
    if user.is_national_admin:
        visible |= Q(message__status=InboundMessage.Status.UNMATCHED)
    return (
        InboundAttachment.objects.filter(visible, pk=attachment_id)
        .select_related("message__case")
        .first()
    )
