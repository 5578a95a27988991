"""The reports' background tasks, run by `manage.py worker`."""

from django_tasks import task

from .services import closed_period_close, report_export_build


@task()
def report_export_build_task(*, export_id: str) -> bool:
    """Render one requested report PDF (enqueued after the request's commit)."""
    return report_export_build(export_id=export_id)


@task()
def closed_period_close_task(*, period_id: int) -> bool:
    """Store the figures of a period being closed (enqueued after the request's commit)."""
    return closed_period_close(period_id=period_id)
