"""The person's page, their offers and their answer, and the request for a new link."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audit.models import AuditEntry
from common.errors import DomainError
from coordinators.models import Case
from offers.models import Offer
from offers.pdf import offer_pdf, offer_pdf_filename
from offers.selectors import offer_document_context
from offers.services import offer_record_response

from .. import selectors
from ..forms import ConfirmForm, DocumentForm, LinkRequestForm, OfferAnswerForm
from ..services import personal_link_request
from .base import (
    SESSION_KEY,
    PersonView,
    language_activate,
    link_invalid,
    person_audit,
    private,
    rate_limit_exceeded,
)


def page_context(view: PersonView, **forms) -> dict:
    """What the main page shows: the stage, the coordinator, the offers, the documents."""
    case = view.case
    offers = list(selectors.person_offers(case=case))
    current = next((offer for offer in offers if offer.status == Offer.Status.SENT), None)
    return {
        "case": case,
        "returnee": view.returnee,
        "status_sentence": selectors.STATUS_SENTENCES.get(Case.Status(case.status), ""),
        "coordinator": case.coordinator,
        "planning_region": case.planning_region,
        "offers": offers,
        "current_offer": current,
        "documents": list(case.documents.all()),
        "document_form": forms.get("document_form") or DocumentForm(),
        "consent_form": forms.get("consent_form") or ConfirmForm(prefix="consent"),
        "erasure_form": forms.get("erasure_form") or ConfirmForm(prefix="erasure"),
    }


class PageView(PersonView):
    http_method_names = ["get", "head"]

    def get(self, request, *args, **kwargs):
        person_audit(request, action=AuditEntry.Action.VIEW, obj=self.case)
        return render(request, "returnee/page.html", page_context(self))


class OfferView(PersonView):
    """One sent version as a web page, with the answer form on the current one."""

    http_method_names = ["get", "head"]

    def get(self, request, *args, **kwargs):
        offer = selectors.person_offer(case=self.case, version=kwargs["version"])
        return self.show(offer)

    def show(self, offer: Offer, form: OfferAnswerForm | None = None, status: int = 200):
        person_audit(request=self.request, action=AuditEntry.Action.VIEW, obj=offer,
                     reference=self.case.reference)  # fmt: skip
        context = {
            **offer_document_context(offer=offer),
            "answer_form": form or OfferAnswerForm(),
            "can_answer": offer.status == Offer.Status.SENT,
        }
        return render(self.request, "returnee/offer.html", context, status=status)


class OfferPdfView(PersonView):
    http_method_names = ["get", "head"]

    def get(self, request, *args, **kwargs):
        offer = selectors.person_offer(case=self.case, version=kwargs["version"])
        person_audit(request, action=AuditEntry.Action.DOWNLOAD, obj=offer,
                     reference=self.case.reference)  # fmt: skip
        response = HttpResponse(offer_pdf(offer=offer), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{offer_pdf_filename(offer)}"'
        return response


class OfferAnswerView(OfferView):
    """Accept, decline or ask for changes: the same service as the staff form, as the
    person's own answer."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        offer = selectors.person_offer(case=self.case, version=kwargs["version"])
        form = OfferAnswerForm(request.POST)
        if not form.is_valid():
            return self.show(offer, form=form, status=400)
        try:
            with translation.override(settings.LANGUAGE_CODE):  # the timeline's words
                offer_record_response(
                    offer=offer, response=form.cleaned_data["response"], actor=None,
                    note=form.cleaned_data["note"], from_person=True,
                )  # fmt: skip
        except DomainError as error:
            messages.error(request, error.message)
            return redirect("returnee:page")
        person_audit(request, action=AuditEntry.Action.UPLOAD, obj=offer)
        messages.success(request, answer_message(form.cleaned_data["response"]))
        return redirect("returnee:page")


def answer_message(response: str) -> str:
    if response == Offer.Status.ACCEPTED:
        return _("Thank you! You have accepted the offer. Your coordinator will contact you.")
    if response == Offer.Status.CHANGES_REQUESTED:
        return _("Thank you! Your coordinator will prepare a new version of the offer.")
    return _("Your answer is recorded: you have declined the offer.")


@require_POST
def link_request(request):
    """A new link by e-mail: the same answer whatever the address, the worker decides."""
    form = LinkRequestForm(request.POST)
    if not form.is_valid():
        return link_invalid(request, form=form)
    if rate_limit_exceeded(request):
        language_activate(request)
        context = {"rate_limited": True}
        return private(render(request, "returnee/link_sent.html", context, status=429))
    personal_link_request(email=form.cleaned_data["email"])
    return private(redirect("returnee:link_sent"))


def link_sent(request):
    """After a request for a new link: the same words whatever the address."""
    language_activate(request)
    return private(render(request, "returnee/link_sent.html", {}))


@require_POST
def leave(request):
    """End the visit on this device (the link itself keeps working until it expires)."""
    request.session.pop(SESSION_KEY, None)
    messages.success(request, _("You have left your personal page."))
    return private(redirect("returnee:page"))
