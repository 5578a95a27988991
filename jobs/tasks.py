"""The task every scheduled job runs in: call the job's function, record how it ended."""

from django.utils.module_loading import import_string
from django_tasks import task

from .models import JobRun
from .services import job_finish


@task()
def run_job(*, run_id: int, function: str) -> str:
    """Run one claimed job; its result (counts, never personal data) goes on the run record."""
    run = JobRun.objects.get(pk=run_id)
    try:
        result = import_string(function)()
    except Exception as error:
        job_finish(run=run, ok=False, detail=type(error).__name__)
        raise
    detail = str(result)
    job_finish(run=run, ok=True, detail=detail)
    return detail
