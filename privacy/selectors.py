"""Reads for the personal-data page: the exports a user may see and download.

An export is reached through its case (already scoped by `Case.objects.visible_to`), and
only by the user who asked for it or a national administrator; to anybody else, and after
its 24 hours, it does not exist (404)."""

from __future__ import annotations

from uuid import UUID

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from coordinators.models import Case, User

from .models import DataExport


def data_exports_for_page(*, case: Case, user: User) -> QuerySet[DataExport]:
    """The case's current exports the user may download, newest first, without their
    content (the page lists them; only the download reads the ZIP)."""
    return (
        DataExport.objects.current()
        .downloadable_by(user)
        .filter(case=case)
        .select_related("requested_by")
        .defer("content")
    )


def data_export_for_download(*, case: Case, user: User, export_id: UUID | str) -> DataExport:
    """A ready, current export of this case that the user may download, or 404."""
    return get_object_or_404(
        DataExport.objects.current().downloadable_by(user).select_related("case__returnee"),
        case=case,
        pk=export_id,
        status=DataExport.Status.READY,
    )
