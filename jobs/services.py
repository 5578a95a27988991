"""Claiming a job's slot: whoever inserts the (job, slot) row first runs the job."""

from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import JobRun

JOB_RUN_RETENTION = timedelta(days=30)


def job_claim(*, name: str, slot: str) -> JobRun | None:
    """The run of `name` for `slot`, or None when it has run (or is running) already."""
    try:
        with transaction.atomic():
            return JobRun.objects.create(name=name, slot=slot)
    except IntegrityError:
        return None


def job_finish(*, run: JobRun, ok: bool, detail: str = "") -> None:
    """Record how a claimed run ended."""
    JobRun.objects.filter(pk=run.pk).update(finished_at=timezone.now(), ok=ok, detail=detail[:300])


def job_runs_prune(*, now: datetime | None = None) -> int:
    """Forget runs older than 30 days (the minute jobs write 1,440 rows a day)."""
    cutoff = (now or timezone.now()) - JOB_RUN_RETENTION
    deleted, _by_model = JobRun.objects.filter(started_at__lt=cutoff).delete()
    return deleted


def worker_health(
    *, now: datetime | None = None, name: str = "outbox_sweep"
) -> tuple[bool, dict[str, object]]:
    """For /healthz: a worker claimed the minute job within the last five minutes."""
    now = now or timezone.now()
    last = (
        JobRun.objects.filter(name=name)
        .order_by("-started_at")
        .values_list("started_at", flat=True)
        .first()
    )
    age = (now - last).total_seconds() if last else None
    return age is not None and age < 300, {"last_sweep_seconds_ago": round(age) if age else age}


def housekeeping(*, now: datetime | None = None) -> dict[str, int]:
    """Keep the job and task tables small: old run records and finished task results."""
    from django_tasks_db.models import DBTaskResult

    now = now or timezone.now()
    tasks, _by_model = (
        DBTaskResult.objects.finished().filter(finished_at__lt=now - timedelta(days=7)).delete()
    )
    return {"job_runs": job_runs_prune(now=now), "task_results": tasks}


def schedule_run_due(*, now: datetime | None = None) -> list[str]:
    """Claim every job whose slot for `now` has not run and enqueue it; the names queued."""
    from .schedule import SCHEDULE
    from .tasks import run_job

    now = now or timezone.now()
    queued = []
    for job in SCHEDULE:
        slot = job.slot(now)
        if slot is None:
            continue
        run = job_claim(name=job.name, slot=slot)
        if run is not None:
            run_job.enqueue(run_id=run.pk, function=job.function)
            queued.append(job.name)
    return queued
