"""The contact form's background task, run by `manage.py worker`."""

from django_tasks import task

from .services import contact_submission_process


@task()
def contact_submission_process_task(*, submission_id: int) -> str:
    """Turn one stored submission into a case, or into a contact to check."""
    return contact_submission_process(submission_id=submission_id)
