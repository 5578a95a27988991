"""The grant competition's background task, run by `manage.py worker`."""

from django_tasks import task

from .documents import call_pdf_build


@task()
def call_pdf_build_task(*, export_id: str) -> bool:
    """Render one requested call PDF (enqueued after the request's commit)."""
    return call_pdf_build(export_id=export_id)
