"""The history import's background tasks, run by `manage.py worker`."""

from django_tasks import task

from .services.jobs import import_job_check, import_job_run


@task()
def import_job_check_task(*, job_id: str) -> bool:
    """The dry run of an uploaded file (enqueued after the upload's commit)."""
    return import_job_check(job_id=job_id)


@task()
def import_job_run_task(*, job_id: str) -> bool:
    """The import of a checked file, confirmed by its requester."""
    return import_job_run(job_id=job_id)
