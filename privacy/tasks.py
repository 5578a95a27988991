"""The personal-data page's background task, run by `manage.py worker`."""

from django_tasks import task

from .services import data_export_build


@task()
def data_export_build_task(*, export_id: str) -> bool:
    """Build one requested ZIP of a person's data (enqueued after the request's commit)."""
    return data_export_build(export_id=export_id)
