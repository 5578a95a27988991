"""The returnee page's background task, run by `manage.py worker`."""

from django.conf import settings
from django_tasks import task

from common import ratelimit
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
    if returnee is None or address_over_limit(returnee.email):
        return False
    personal_link_enqueue(returnee=returnee)
    return True


def address_over_limit(email: str) -> bool:
    """Per address, besides the page's per-connection limit: many connections together
    cannot flood one person with link mails (nor make links for them without end)."""
    return ratelimit.rate_limit_exceeded(
        scope="personal-link-address",
        identity=email,
        limit=settings.PERSONAL_LINK_ADDRESS_LIMIT,
        window=settings.PERSONAL_LINK_RATE_WINDOW_SECONDS,
    )
