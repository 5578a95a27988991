"""The ImportJob from upload to import: stored and checked by the worker (the dry run), then
imported by the worker in one transaction when its requester says so, or discarded.

The uploaded content, the problems and the preview are personal data: emptied when the file
is imported, deleted with the job when it is discarded or left unconfirmed for 24 hours
(`import_jobs_prune`, a daily job), and when a person of the region is erased
(`import_jobs_forget_person`, connected to `privacy.signals.returnee_erased`). An imported
job keeps its sha256 and the counts only.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from audit.models import AuditEntry
from audit.services import audit_record
from common.dates import date_text
from common.errors import DomainError
from common.tasks import task_enqueue_on_commit
from coordinators.models import Returnee, User
from municipalities.models import PlanningRegion

from ..models import ImportJob
from ..reading import FileProblem, read_table
from ..values import text_of
from .check import CheckResult, counts_of, file_check, preview_build
from .write import plans_write

JOB_LIFETIME = timedelta(hours=24)
NOT_ALLOWED = _("Only regional coordinators and national administrators import history.")
SAME_FILE = _("This file was already imported on %(date)s by %(user)s.")
NOT_READY = _("This file is not ready to import.")
TOO_MANY_UPLOADS = _(
    "You have uploaded %(limit)s files in the last 24 hours, the most a day allows. Upload "
    "this file tomorrow, or ask a national administrator."
)
# Uploads per user and 24 hours: enough to correct a file many times over, and a bound on
# how many addresses a file can ask about (rows.EMAIL_TAKEN_NAMED).
UPLOADS_PER_DAY = 30
CANNOT_DISCARD = _("A file that is being imported or has been imported cannot be discarded.")

S = ImportJob.Status


def _same_file(*, sha256: str, region: PlanningRegion | None) -> ImportJob | None:
    """The earlier import of the very same file into the same region, if any."""
    return (
        ImportJob.objects.filter(sha256=sha256, status=S.DONE, planning_region=region)
        .select_related("requested_by")
        .order_by("finished_at")
        .first()
    )


def _refuse_same_file(*, sha256: str, region: PlanningRegion | None) -> None:
    earlier = _same_file(sha256=sha256, region=region)
    if earlier is not None:
        who = earlier.requested_by.get_full_name() or earlier.requested_by.get_username()
        when = earlier.finished_at or earlier.created_at
        raise DomainError(SAME_FILE % {"date": date_text(when), "user": who})


@transaction.atomic
def import_job_create(
    *,
    user: User,
    file_name: str,
    content: bytes,
    default_region: PlanningRegion | None = None,
    language: str = "lv",
    request: HttpRequest | None = None,
) -> ImportJob:
    """Store an uploaded file and ask the worker to check it. A coordinator's scope is their
    region; a national administrator's default region is what rows without one get."""
    if not user.can_import_history:
        raise DomainError(NOT_ALLOWED)
    region = default_region if user.is_national_admin else user.planning_region
    sha256 = hashlib.sha256(content).hexdigest()
    _refuse_same_file(sha256=sha256, region=region)
    now = timezone.now()
    # Counted on the audit trail, which discarding or pruning a job does not shorten.
    uploads = AuditEntry.objects.filter(
        actor=user, action=AuditEntry.Action.UPLOAD, created_at__gte=now - timedelta(hours=24)
    ).count()
    if uploads >= UPLOADS_PER_DAY:
        raise DomainError(TOO_MANY_UPLOADS % {"limit": UPLOADS_PER_DAY})
    job = ImportJob.objects.create(
        requested_by=user, planning_region=region, file_name=file_name[:255], sha256=sha256,
        content=content, language=language, created_at=now, expires_at=now + JOB_LIFETIME,
    )  # fmt: skip
    audit_record(action=AuditEntry.Action.UPLOAD, request=request, actor=user, obj=job,
                 detail=f"history import: {len(content)} bytes")  # fmt: skip
    task_enqueue_on_commit("imports.tasks.import_job_check_task", job_id=str(job.pk))
    return job


def _progress(job_id: UUID, status: str) -> Any:
    def report(done: int, total: int) -> None:
        ImportJob.objects.filter(pk=job_id, status=status).update(
            rows_checked=done, rows_total=total
        )

    return report


def _check(job: ImportJob) -> CheckResult:
    with translation.override(job.language):
        result = file_check(
            content=bytes(job.content),
            user=job.requested_by,
            default_region=job.planning_region,
            progress=_progress(job.pk, job.status),
        )
    if result.emails_taken:
        # The file asked, in effect, whether these addresses are registered: on the trail.
        audit_record(action=AuditEntry.Action.VIEW, actor=job.requested_by, obj=job,
                     detail=f"history import check: {result.emails_taken} e-mail addresses "
                     "already registered")  # fmt: skip
    return result


def _store_problems(job: ImportJob, result: CheckResult) -> int:
    return ImportJob.objects.filter(pk=job.pk, status=job.status).update(
        status=S.INVALID,
        rows_total=result.rows_total,
        rows_checked=result.rows_total,
        problems=result.problems,
        preview={"notes": result.notes, "ignored_columns": result.ignored_columns},
        summary={"problem_count": result.problem_count, "rows": result.rows_total},
    )


def _job_in(*, job_id: str, status: str) -> ImportJob | None:
    """The job the worker is to work on, if it is still in `status` (not discarded, erased
    or taken by another worker's run)."""
    return (
        ImportJob.objects.filter(pk=job_id, status=status)
        .select_related("requested_by", "planning_region")
        .first()
    )


def import_job_check(*, job_id: str) -> bool:
    """In the worker: the dry run of a stored file. Stores the problems, or the preview.
    False when there is nothing (left) to check."""
    job = _job_in(job_id=job_id, status=S.CHECKING)
    if job is None:
        return False
    try:
        result = _check(job)
    except Exception:
        ImportJob.objects.filter(pk=job.pk, status=S.CHECKING).update(status=S.FAILED)
        raise
    if not result.ok:
        return bool(_store_problems(job, result))
    stored = ImportJob.objects.filter(pk=job.pk, status=S.CHECKING).update(
        status=S.READY,
        rows_total=result.rows_total,
        rows_checked=result.rows_total,
        problems=[],
        preview=preview_build(result),
        summary={"counts": counts_of(result)},
    )
    return bool(stored)


@transaction.atomic
def import_job_start(*, job: ImportJob, actor: User, request: HttpRequest | None = None) -> None:
    """The requester confirms a checked file: the worker imports it."""
    _refuse_same_file(sha256=job.sha256, region=job.planning_region)
    started = ImportJob.objects.filter(pk=job.pk, requested_by=actor, status=S.READY).update(
        status=S.IMPORTING, rows_checked=0
    )
    if not started:
        raise DomainError(NOT_READY)
    audit_record(action=AuditEntry.Action.IMPORT, request=request, actor=actor, obj=job,
                 detail=f"history import: {job.rows_total} rows")  # fmt: skip
    task_enqueue_on_commit("imports.tasks.import_job_run_task", job_id=str(job.pk))


class JobGone(Exception):
    """The job was deleted (an erasure) or changed while it was imported: roll back."""


def import_job_run(*, job_id: str) -> bool:
    """In the worker: check the file again (the portal may have changed since the dry run)
    and write it in one transaction; the content, problems and preview go, counts stay."""
    job = _job_in(job_id=job_id, status=S.IMPORTING)
    if job is None:
        return False
    try:
        result = _check(job)
        if not result.ok:
            return bool(_store_problems(job, result))
        with transaction.atomic(), translation.override(job.language):
            plans_write(plans=result.plans, actor=job.requested_by, file_name=job.file_name)
            done = ImportJob.objects.filter(pk=job.pk, status=S.IMPORTING).update(
                status=S.DONE, content=b"", problems=[], preview={},
                summary={"counts": counts_of(result)}, rows_checked=result.rows_total,
                finished_at=timezone.now(),
            )  # fmt: skip
            if not done:
                raise JobGone(job.pk)
    except JobGone:
        return False
    except Exception:
        ImportJob.objects.filter(pk=job.pk, status=S.IMPORTING).update(status=S.FAILED)
        raise
    return True


@transaction.atomic
def import_job_discard(*, job: ImportJob, actor: User) -> None:
    """Delete a job that was not imported, with its content."""
    deleted, _by_model = (
        ImportJob.objects.filter(pk=job.pk, requested_by=actor)
        .exclude(status__in=[S.IMPORTING, S.DONE])
        .delete()
    )
    if not deleted:
        raise DomainError(CANNOT_DISCARD)


def import_jobs_prune(*, now: datetime | None = None) -> int:
    """Delete jobs left unconfirmed past their 24 hours (a daily job); imported ones stay,
    already without content."""
    deleted, _by_model = (
        ImportJob.objects.exclude(status=S.DONE)
        .filter(expires_at__lte=now or timezone.now())
        .delete()
    )
    return deleted


def import_jobs_forget_person(
    sender: object, *, returnee: Returnee, identifiers: Sequence[str] = (), **kwargs: object
) -> int:
    """An erased person may be in a file still waiting, of any region: delete every job not
    yet imported whose cells name them (their full name, e-mail or phone, as erasure looks
    for them), and no other. Waiting jobs are few (a day's uploads at most)."""
    # The full name, the e-mail and the phone: a first or last name alone is somebody
    # else's too (privacy.erasure.Identifiers.unique).
    wanted = [
        identifier.casefold()
        for identifier in identifiers
        if " " in identifier.strip() or "@" in identifier or _digits(identifier)
    ]
    if not wanted:
        return 0
    doomed = [
        job.pk
        for job in ImportJob.objects.exclude(status=S.DONE).only("pk", "content").iterator()
        if _names_any(bytes(job.content), wanted)
    ]
    deleted, _by_model = ImportJob.objects.filter(pk__in=doomed).delete()
    return deleted


def _names_any(content: bytes, wanted: Sequence[str]) -> bool:
    """Whether a cell (or two neighbouring cells: first and last name) holds an identifier.
    A file that cannot be read is taken to name them: it goes."""
    if not content:
        return False
    try:
        header, rows = read_table(content)
    except FileProblem:
        return True
    phones = [digits for identifier in wanted if (digits := _digits(identifier))]
    for row in [header, *rows]:
        cells = [text_of(cell).casefold() for cell in row]
        text = " ".join(cells)
        if any(identifier in text for identifier in wanted):
            return True
        # A phone as the file wrote it: "+44 7911 123456" is +447911123456.
        if phones and any(phone in _digits(cell) for cell in cells for phone in phones):
            return True
    return False


def _digits(text: str) -> str:
    """The digits of a phone number; "" for text that is not one (fewer than 7 digits)."""
    digits = "".join(character for character in text if character.isdigit())
    return digits if len(digits) >= 7 and not any(c.isalpha() for c in text) else ""
