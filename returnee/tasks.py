"""The returnee page's background task, run by `manage.py worker`."""

from django_tasks import task

from coordinators.models import Returnee

from .emails import personal_link_enqueue


@task()
def personal_link_request_task(*, email: str) -> bool:
    """Send a new link when the address is a person's with a case (nothing otherwise): in
    the worker, so the page answers the same, as fast, for every address."""
    returnee = (
        Returnee.objects.filter(email=email.strip().lower(), cases__isnull=False)
        .exclude(email="")
        .first()
    )
    if returnee is None:
        return False
    personal_link_enqueue(returnee=returnee)
    return True
