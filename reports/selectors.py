"""Reads of the reports app: the report of a period (the stored figures of a closed one), the
closed periods and the ones being closed, a user's recent report PDFs, and one of them to download.

A PDF belongs to the user who asked for it: to anybody else, and after its 24 hours, it
does not exist (404)."""

from __future__ import annotations

import dataclasses
from uuid import UUID

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from coordinators.models import User

from .figures.filters import ReportFilters
from .figures.report import Closing, Report, report_build
from .figures.stored import report_data, report_from_data, scope_key
from .models import ClosedPeriod, ReportExport

RECENT_EXPORTS = 5


def report_exports_recent(*, user: User) -> QuerySet[ReportExport]:
    """The user's current PDFs, newest first, without their content (the page lists them)."""
    return (
        ReportExport.objects.current().filter(requested_by=user).defer("content")[:RECENT_EXPORTS]
    )


def report_export_for_download(*, user: User, export_id: UUID | str) -> ReportExport:
    """A ready, current PDF the user asked for, or 404."""
    return get_object_or_404(
        ReportExport.objects.current(),
        requested_by=user,
        pk=export_id,
        status=ReportExport.Status.READY,
    )


def closed_period_in_force(filters: ReportFilters) -> ClosedPeriod | None:
    """The closed period with exactly the report's dates, if it is closed (not reopened)."""
    return (
        ClosedPeriod.objects.in_force()
        .filter(date_from=filters.date_from, date_to=filters.date_to)
        .select_related("closed_by")
        .first()
    )


def report_for(filters: ReportFilters) -> Report:
    """THE report of the filters for the page and every export: the live figures, or, when
    the period is closed and the scope is one it stored (the country, one region), the
    figures as submitted with the corrections since closing (live − stored)."""
    live = report_build(filters)
    period = closed_period_in_force(filters)
    if period is None or period.closed_at is None:  # in force: closed_at is set (a constraint)
        return live
    closing = Closing(
        closed_at=period.closed_at,
        closed_by=period.closed_by.get_full_name() or period.closed_by.get_username(),
        stored=False,
        period_id=period.pk,
    )
    stored = period.figures.get(scope_key(filters) or "")
    if stored is None:  # a municipality or a choice of regions: live figures, said so
        live.closing = closing
        return live
    closing = dataclasses.replace(closing, stored=True)
    return report_from_data(stored, filters, closing=closing, live=report_data(live))


def closed_period_being_closed(filters: ReportFilters) -> ClosedPeriod | None:
    """The closing under way of exactly the report's dates, if one is (its report is live)."""
    return (
        ClosedPeriod.objects.pending()
        .filter(date_from=filters.date_from, date_to=filters.date_to)
        .select_related("closed_by")
        .defer("figures")
        .first()
    )


def closed_periods() -> QuerySet[ClosedPeriod]:
    """Every closed period, in force, reopened, being closed or failed, newest first, without
    the figures."""
    return (
        ClosedPeriod.objects.with_is_stale()
        .select_related("closed_by", "reopened_by")
        .defer("figures")
    )


def closed_periods_working() -> bool:
    """Whether a closing is under way (the periods page then reloads itself)."""
    return ClosedPeriod.objects.working().exists()


def closed_period_for_reopening(*, period_id: int) -> ClosedPeriod:
    """A period still closed, or 404."""
    return get_object_or_404(ClosedPeriod.objects.in_force().defer("figures"), pk=period_id)
