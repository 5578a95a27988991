"""The case-level export: one row per case, with no names, contact details or notes."""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, QuerySet, Subquery
from django.utils.translation import gettext_lazy as _

from coordinators.models import Case, CaseEvent, HouseholdMember
from municipalities.models import NeedCategory
from offers.models import Offer

from .filters import ReportFilters
from .rows import COUNTED, DECIDED, RETURNED, STATUS_CHANGED

CASE_EXPORT_COLUMNS = (
    ("reference", _("Reference")),
    ("planning_region__code", _("Planning region")),
    ("municipality__name", _("Municipality")),
    ("returnee__country", _("Country of residence")),
    ("source", _("Source")),
    ("timeframe", _("Planned timeframe")),
    ("status", _("Status now")),
    ("closed_reason", _("Closing reason")),
    ("created_at", _("Created")),
    ("first_offer_at", _("First offer prepared")),
    ("first_sent_at", _("First offer sent")),
    ("decided_at", _("First wish to return")),
    ("returned_at", _("First return")),
    ("household_size", _("Household members")),
)


def case_export_rows(filters: ReportFilters) -> tuple[QuerySet[Case], list[NeedCategory]]:
    """One row per case created up to the end of the period, for national administrators:
    no names, no contact details, no notes. Returns a values_list queryset to iterate."""

    def first_event(status: str) -> Subquery:
        """The time of the case's first change to `status`."""
        return Subquery(
            CaseEvent.objects.filter(
                COUNTED, case=OuterRef("pk"), kind=STATUS_CHANGED, to_value=status
            )
            .order_by("created_at")
            .values("created_at")[:1]
        )

    offers = Offer.objects.filter(case=OuterRef("pk"))
    needs = list(NeedCategory.objects.all())
    need_columns = {
        f"need_{need.code}": Exists(
            Case.needs.through.objects.filter(case_id=OuterRef("pk"), needcategory_id=need.pk)
        )
        for need in needs
    }
    household = (
        HouseholdMember.objects.filter(returnee_id=OuterRef("returnee_id"))
        .order_by()
        .values("returnee_id")
        .annotate(count=Count("id"))
        .values("count")
    )
    queryset = (
        Case.objects.filter(filters.case_q(), created_at__lt=filters.end)
        .annotate(
            first_offer_at=Subquery(offers.order_by("created_at").values("created_at")[:1]),
            first_sent_at=Subquery(
                offers.filter(sent_at__isnull=False).order_by("sent_at").values("sent_at")[:1]
            ),
            decided_at=first_event(DECIDED),
            returned_at=first_event(RETURNED),
            household_size=Subquery(household),
            **need_columns,
        )
        .order_by("pk")
    )
    names = [name for name, _label in CASE_EXPORT_COLUMNS] + list(need_columns)
    return queryset.values_list(*names), needs
