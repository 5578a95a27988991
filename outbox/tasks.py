"""The outbox's background tasks, run by `manage.py worker` (django-tasks, database backend)."""

from django_tasks import task

from .services import email_send_due, email_sweep


@task()
def send_due() -> dict[str, int | bool]:
    """Send what is due now; enqueued after every commit that queued mail."""
    report = email_send_due()
    return {"sent": report.sent, "failed": report.failed, "paused": report.paused}


@task()
def sweep() -> dict[str, int | bool]:
    """Every minute: interrupted sends, retries that came due, anything never enqueued,
    mail whose attachment is still not made."""
    report = email_sweep()
    return {
        "sent": report.sent,
        "failed": report.failed,
        "paused": report.paused,
        "prepared_again": report.prepared_again,
    }
