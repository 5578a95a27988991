"""The offer's mail to the person, in the offer's language, with its PDF attached.
Template: `templates/offers/email/offer_sent.txt`."""

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from outbox.models import Email
from outbox.services import email_enqueue

from .models import Offer
from .pdf import offer_pdf_filename
from .selectors import offer_document_context

OFFER_SUBJECT = _("Your individual offer (%(reference)s)")


def offer_sent_enqueue(*, offer: Offer, pdf: bytes) -> None:
    """The sent version of the offer, to the person's address."""
    with translation.override(offer.language):
        context = offer_document_context(offer=offer)
        case = context["case"]
        subject = str(OFFER_SUBJECT % {"reference": case.reference})
        body = render_to_string("offers/email/offer_sent.txt", context)
    email_enqueue(
        to=case.returnee.email,
        subject=subject,
        body=body,
        purpose=Email.Purpose.OFFER,
        case=case,
        attachments=[(offer_pdf_filename(offer), pdf, "application/pdf")],
    )
