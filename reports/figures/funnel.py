"""The funnel: the cases created in the period and the furthest step each reached by its end."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Count, Q, Value, When
from django.utils.translation import gettext_lazy as _

from coordinators.models import Case, CaseEvent
from offers.models import Offer

from .filters import ReportFilters
from .rows import COUNTED, CREATED, DECIDED, RETURNED, STATUS_CHANGED

FUNNEL_STEPS = (
    ("new_contacts", _("New contacts")),
    ("offer_prepared", _("Offer prepared")),
    ("offer_sent", _("Offer sent")),
    ("wish_to_return", _("Wish to return")),
    ("returned", _("Returned")),
)


def funnel(filters: ReportFilters) -> list[dict[str, Any]]:
    """The cases created in the period and the furthest step each reached by its end.

    One grouped query: a CASE gives each case of the cohort its furthest step, testing
    `id IN (subquery)` from the last step back; the database evaluates each subquery once.
    A case's events and offers cannot be older than the case, so the subqueries only read
    rows from the start of the period on."""
    in_period = filters.in_period("created_at")

    def reached(status: str) -> Q:
        """The cases whose status changed to `status` within the period."""
        return Q(
            pk__in=CaseEvent.objects.filter(
                COUNTED, in_period, kind=STATUS_CHANGED, to_value=status
            ).values("case_id")
        )

    # The cases created in the period where they were then in scope (their "created" event).
    cohort = CaseEvent.objects.filter(filters.case_q(), in_period, kind=CREATED).values("case_id")
    offers = Offer.objects.filter(case__created_at__gte=filters.start)
    furthest = models.Case(
        When(reached(RETURNED), then=Value(4)),
        When(reached(DECIDED), then=Value(3)),
        When(Q(pk__in=offers.filter(sent_at__lt=filters.end).values("case_id")), then=Value(2)),
        When(Q(pk__in=offers.filter(created_at__lt=filters.end).values("case_id")), then=Value(1)),
        default=Value(0),
    )
    by_step = dict(
        Case.objects.filter(in_period, pk__in=cohort)
        .annotate(furthest=furthest)
        .values_list("furthest")
        .annotate(count=Count("id"))
        .order_by()
    )
    return funnel_steps(
        {
            key: sum(number for step, number in by_step.items() if step >= index)
            for index, (key, _label) in enumerate(FUNNEL_STEPS)
        }
    )


def funnel_steps(counts: dict[str, int]) -> list[dict[str, Any]]:
    """The funnel's rows from the count of each step (cases that reached it or a later one),
    with the rates of the previous step and of the first; also for stored figures."""
    steps = []
    first = counts.get(FUNNEL_STEPS[0][0], 0)
    previous = None
    for key, label in FUNNEL_STEPS:
        count = counts.get(key, 0)
        steps.append(
            {
                "key": key,
                "label": label,
                "count": count,
                "of_previous": _rate(count, previous),
                "of_first": _rate(count, first),
                "of_previous_percent": _percent(_rate(count, previous)),
                "of_first_percent": _percent(_rate(count, first)),
            }
        )
        previous = count
    return steps


def _percent(rate: float | None) -> float | None:
    """A rate as a percentage with one decimal, or None."""
    return None if rate is None else round(rate * 100, 1)


def _rate(count: int, base: int | None) -> float | None:
    """`count` as a share of `base`, or None when there is no base to compare with."""
    if base is None or not base:
        return None
    return count / base
