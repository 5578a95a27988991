"""The accounts' background task, run by `manage.py worker`."""

from django_tasks import task

from .emails import password_reset_mail


@task()
def password_reset_mail_task(*, email: str, language: str) -> int:
    """Look the address up and queue the reset mail (enqueued by the reset page)."""
    return password_reset_mail(email=email, language=language)
