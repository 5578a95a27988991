"""The offer's mail to the person, in the offer's language, with its PDF attached.
Template: `templates/offers/email/offer_sent.txt`.

The mail is stored with the sending (`offer_sent_enqueue`, in the request's transaction) but
its PDF is made by the worker (`offer_sent_attach_pdf`, through `offers.tasks`): no web
request waits for the PDF renderer."""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from coordinators.services.links import personal_link_url
from outbox.models import Email
from outbox.services import email_attachments_add, email_enqueue, email_preparation_failed

from .models import Offer
from .pdf import offer_pdf, offer_pdf_filename
from .selectors import offer_document_context

OFFER_SUBJECT = _("Your individual offer (%(reference)s)")
# The task that makes the PDF, named by dotted path: the outbox calls it again if it fails.
PREPARE_TASK = "offers.tasks.offer_mail_prepare"


def offer_sent_enqueue(*, offer: Offer) -> Email:
    """The sent version of the offer, to the person's address: stored `preparing` until the
    worker has attached the PDF."""
    with translation.override(offer.language):
        context = offer_document_context(offer=offer)
        # A reply reaches the case only through its Reply-To (the inbound app).
        context["replies"] = bool(settings.INBOUND_REPLY_ADDRESS)
        case = context["case"]
        # The person answers on their page; the link's token lives in this body only.
        context["personal_url"] = personal_link_url(returnee=case.returnee)
        subject = str(OFFER_SUBJECT % {"reference": case.reference})
        body = render_to_string("offers/email/offer_sent.txt", context)
    return email_enqueue(
        to=case.returnee.email,
        subject=subject,
        body=body,
        purpose=Email.Purpose.OFFER,
        case=case,
        prepare_task=PREPARE_TASK,
        prepare_kwargs={"offer_id": offer.pk},
    )


def offer_sent_attach_pdf(*, email_id: int, offer_id: int) -> bool:
    """In the worker: render the sent offer's PDF, attach it and queue the mail. False when
    the mail is no longer waiting for it (an earlier run attached it). A rendering error is
    kept on the mail and raised again, so the task is recorded as failed."""
    if not Email.objects.filter(pk=email_id, status=Email.Status.PREPARING).exists():
        return False
    offer = Offer.objects.select_related("case").get(pk=offer_id)
    try:
        pdf = offer_pdf(offer=offer)
    except Exception as error:
        email_preparation_failed(email_id=email_id, error=error)
        raise
    return email_attachments_add(
        email_id=email_id, attachments=[(offer_pdf_filename(offer), pdf, "application/pdf")]
    )
