"""How an offer becomes a PDF: its template rendered in the offer's language, through the
restricted renderer of `common.pdf` (no network, only the project's static files)."""

from django.template.loader import render_to_string
from django.utils import translation

from common.pdf import render_pdf

from .models import Offer
from .selectors import offer_document_context


def offer_pdf(*, offer: Offer) -> bytes:
    """The offer as a PDF, in the offer's language."""
    with translation.override(offer.language):
        html = render_to_string("pdf/offer.html", offer_document_context(offer=offer))
    return render_pdf(html)


def offer_pdf_filename(offer: Offer) -> str:
    """The file name the family sees: the case reference and the version."""
    return f"{offer.case.reference}-v{offer.version}.pdf"
