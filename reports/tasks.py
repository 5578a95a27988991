"""The reports' background task, run by `manage.py worker`."""

from django_tasks import task

from .services import report_export_build


@task()
def report_export_build_task(*, export_id: str) -> bool:
    """Render one requested report PDF (enqueued after the request's commit)."""
    return report_export_build(export_id=export_id)
