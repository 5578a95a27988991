"""Reads of the reports app: a user's recent report PDFs, and one of them to download.

A PDF belongs to the user who asked for it: to anybody else, and after its 24 hours, it
does not exist (404)."""

from __future__ import annotations

from uuid import UUID

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from coordinators.models import User

from .models import ReportExport

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
