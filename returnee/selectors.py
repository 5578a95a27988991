"""What the person's page reads: their case, its stage in plain words, their offers."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from coordinators.models import Case, Returnee
from offers.models import Offer

# The stage of the case as the person reads it: a sentence for them, not the staff label.
STATUS_SENTENCES = {
    Case.Status.NEW: _(
        "We have received your message. A remigration coordinator will contact you soon."
    ),
    Case.Status.CONTACTED: _(
        "Your coordinator is in touch with you and is learning about your family's plans."
    ),
    Case.Status.NEEDS_ASSESSED: _(
        "We know what your family needs and are asking the municipalities what they can offer."
    ),
    Case.Status.OFFER_PREPARATION: _("Your coordinator is preparing your individual offer."),
    Case.Status.OFFER_SENT: _(
        "Your individual offer is ready. Please read it and tell us whether it suits you."
    ),
    Case.Status.DECIDED_TO_RETURN: _(
        "You have decided to return. Your coordinator will help you prepare the move."
    ),
    Case.Status.RETURNED: _("Welcome home! Your coordinator can still help you settle in."),
    Case.Status.CLOSED: _(
        "Your case is closed. If you would like to start again, write to your coordinator."
    ),
}
# What the person may see: every version that was sent to them, never a draft.
SHOWN_STATUSES = [status for status in Offer.Status.values if status != Offer.Status.DRAFT]


def person_case(*, returnee: Returnee) -> Case | None:
    """The person's case the page is about: the newest open one, else the newest."""
    cases = Case.objects.filter(returnee=returnee).select_related(
        "returnee", "planning_region", "municipality", "coordinator"
    )
    return cases.open().order_by("-created_at").first() or cases.order_by("-created_at").first()


def person_offers(*, case: Case) -> QuerySet[Offer]:
    """The offer versions sent to the person, newest first (imported ones have no document)."""
    return case.offers.filter(status__in=SHOWN_STATUSES, imported=False).order_by("-version")


def person_offer(*, case: Case, version: int) -> Offer:
    """One sent version of the person's offer; 404 for a draft or another case's."""
    offer = person_offers(case=case).filter(version=version).first()
    if offer is None:
        raise Http404
    return offer
