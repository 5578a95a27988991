"""The offers' background tasks, run by `manage.py worker`."""

from django_tasks import task

from .emails import offer_sent_attach_pdf


@task()
def offer_mail_prepare(*, email_id: int, offer_id: int) -> bool:
    """Make the PDF of a sent offer and hand its mail to the sender (enqueued by the outbox
    after the sending's commit, and again by the sweep while the mail is still preparing)."""
    return offer_sent_attach_pdf(email_id=email_id, offer_id=offer_id)
