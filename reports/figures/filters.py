"""A validated report request: the period, the regions and the municipality it covers."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Q

from common.dates import start_of_day
from municipalities.models import Municipality, PlanningRegion

PROGRAMME_START = datetime.date(2018, 3, 1)


@dataclass(frozen=True)
class ReportFilters:
    """A validated report request: a period of whole days, regions within scope, a municipality.

    `include_national_queue` is true only for a national administrator who chose no region:
    then cases not yet given to a region count too.
    """

    date_from: datetime.date
    date_to: datetime.date
    regions: tuple[PlanningRegion, ...] = ()
    municipality: Municipality | None = None
    include_national_queue: bool = False

    @property
    def start(self) -> datetime.datetime:
        """The first moment of the period (inclusive bound)."""
        return start_of_day(self.date_from)

    @property
    def end(self) -> datetime.datetime:
        """The first moment after the period (exclusive bound)."""
        return start_of_day(self.date_to + datetime.timedelta(days=1))

    def case_q(
        self,
        prefix: str = "",
        *,
        region: str = "planning_region_id",
        municipality: str = "municipality_id",
    ) -> Q:
        """The scope as a Q on the fields `region` and `municipality` (behind `prefix`): a
        case's own, a CaseEvent's snapshot (the defaults fit both), an Offer's snapshot
        ("prepared_region_id", ...) or an annotation (a case's region at the end)."""
        q = Q()
        if self.municipality is not None:
            q &= Q(**{f"{prefix}{municipality}": self.municipality.pk})
        region_q = Q(**{f"{prefix}{region}__in": [r.pk for r in self.regions]})
        if self.include_national_queue:
            region_q |= Q(**{f"{prefix}{region}__isnull": True})
        return q & region_q

    def in_period(self, field_name: str) -> Q:
        """A Q for `field_name` within the period: from `start`, before `end`."""
        return Q(**{f"{field_name}__gte": self.start, f"{field_name}__lt": self.end})
