"""Reads of the history import: a user's jobs, one job (its requester's only: anybody else
gets 404), and the stored problems and notes in the reader's language."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext

from coordinators.models import Case, User

from .models import ImportJob

RECENT_JOBS = 10
STATUS_PARAMETERS = ("from", "to")


def import_jobs_recent(*, user: User) -> QuerySet[ImportJob]:
    """The user's latest jobs, without their content."""
    return (
        ImportJob.objects.visible_to(user)
        .select_related("planning_region")
        .defer("content", "problems", "preview")[:RECENT_JOBS]
    )


def import_job_get(*, user: User, job_id: UUID | str) -> ImportJob:
    """One of the user's own jobs, or 404."""
    return get_object_or_404(
        ImportJob.objects.visible_to(user).select_related("planning_region").defer("content"),
        pk=job_id,
    )


def message_text(entry: dict[str, Any]) -> str:
    """A stored message in the active language, statuses by their names."""
    params = dict(entry.get("params") or {})
    for key in STATUS_PARAMETERS:
        if params.get(key) in Case.Status.values:
            params[key] = str(Case.Status(params[key]).label)
    text = gettext(entry["message"])
    return text % params if params else text


def job_messages(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Problems or notes as the page lists them: row, column, message."""
    return [
        {"row": entry.get("row", 0), "column": entry.get("column", ""), "text": message_text(entry)}
        for entry in entries
    ]


def preview_years(preview: dict[str, Any]) -> list[tuple[str, list[int], int]]:
    """Cases per year of creation and status: (year, counts in Case.Status order, total)."""
    rows = []
    for year, statuses in preview.get("years", {}).items():
        counts = [int(statuses.get(value, 0)) for value in Case.Status.values]
        rows.append((year, counts, sum(counts)))
    return rows
