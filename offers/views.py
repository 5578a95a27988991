"""Pages of the offer builder. Every view builds on `coordinators.views`: the case comes
through `Case.objects.visible_to`, so another region's case is the same 404 as a case that
does not exist, and a role that does not work cases gets 403."""

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from audit.models import AuditEntry
from audit.services import audit_record
from common.redirects import safe_next_url
from coordinators.views import CaseActionView, CaseScopedMixin

from . import selectors, services
from .forms import (
    OfferItemAddForm,
    OfferItemForm,
    OfferLanguageForm,
    OfferResponseForm,
    OfferSendForm,
    RequestPickForm,
    ServicePickForm,
)
from .models import Offer
from .pdf import offer_pdf, offer_pdf_filename

# The offer names the person: each time a page shows it (a GET, or after an invalid form).
VIEW = AuditEntry.Action.VIEW


def case_url(case):
    """The case page of the coordinators' workspace."""
    return reverse("workspace:case_detail", kwargs={"reference": case.reference})


def unbound_forms():
    """The builder's forms that start empty (a bound one with errors replaces its namesake)."""
    return {
        "add_form": OfferItemAddForm(),
        "response_form": OfferResponseForm(),
        "send_form": OfferSendForm(),
    }


class OfferMixin(CaseScopedMixin):
    """A page about one version of a case's offer: /cases/<reference>/offers/<version>/."""

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("returnee", "planning_region", "municipality", "coordinator")
        )

    def load(self):
        self.object = self.get_object()
        self.offer = selectors.offer_get(case=self.object, version=self.kwargs["version"])

    def render_detail(self, *, status=200, **bound_forms):
        """The builder or the read-only view, with any bound forms; audited at each showing."""
        case, offer = self.object, self.offer
        audit_record(action=VIEW, request=self.request, obj=offer, reference=case.reference)
        is_draft = offer.status == Offer.Status.DRAFT
        bound_item = bound_forms.pop("item_form", None)
        sections = selectors.offer_builder_sections(offer=offer, case=case, user=self.request.user)
        for section in sections:
            section["items"] = [
                (item, self.item_form(item, bound_item) if is_draft else None)
                for item in section["items"]
            ]
        context = {
            **selectors.offer_document_context(offer=offer),
            "is_draft": is_draft,
            "send_problems": services.offer_send_problems(offer=offer) if is_draft else [],
            "case_url": case_url(case),
            "builder_sections": sections,
            "versions": selectors.offer_list_for_case(case=case),
            "language_form": OfferLanguageForm(initial={"language": offer.language}),
            **unbound_forms(),
            **bound_forms,
        }
        return render(self.request, "offers/detail.html", context, status=status)

    @staticmethod
    def item_form(item, bound_item):
        if bound_item is not None and bound_item.instance.pk == item.pk:
            return bound_item
        version = services.offer_item_version(item)
        return OfferItemForm(instance=item, prefix=f"item-{item.pk}", initial={"version": version})


class OfferDetailView(OfferMixin, View):
    http_method_names = ["get", "head"]

    def get(self, request, *args, **kwargs):
        self.load()
        return self.render_detail()


class OfferPdfView(OfferMixin, View):
    """The offer as the person receives it (for a draft: as it would look now)."""

    http_method_names = ["get", "head"]

    def get(self, request, *args, **kwargs):
        self.load()
        if not self.offer.has_document:  # imported from before the portal: no PDF exists
            raise Http404
        audit_record(
            action=AuditEntry.Action.DOWNLOAD, request=request, obj=self.offer,
            reference=self.object.reference,
        )  # fmt: skip
        response = HttpResponse(offer_pdf(offer=self.offer), content_type="application/pdf")
        disposition = "attachment" if request.GET.get("download") else "inline"
        filename = offer_pdf_filename(self.offer)
        response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
        return response


class OfferCreateView(OfferMixin, CaseActionView):
    """ "Prepare offer" on the case page, and "Make a new version" on a sent offer."""

    def load(self):
        self.object = self.get_object()

    def perform(self, form):
        self.offer = services.offer_create_draft(case=self.object, actor=self.request.user)
        return _("Version %(version)s of the offer is ready to edit.") % {
            "version": self.offer.version
        }

    def get_success_url(self):
        return reverse("offers:detail", args=[self.object.reference, self.offer.version])

    def refused(self, error):
        """A draft exists already (or the case cannot have an offer): to the draft, or back."""
        messages.error(self.request, error.message)
        draft = self.object.offers.filter(status=Offer.Status.DRAFT).first()
        if draft is not None:
            return redirect("offers:detail", reference=self.object.reference, version=draft.version)
        next_url = self.request.POST.get("next", "")
        return redirect(safe_next_url(self.request, next_url, default=case_url(self.object)))


class OfferActionView(OfferMixin, CaseActionView):
    """A step on one version of the offer; back to that version's page afterwards."""

    form_name = ""
    invalid_status = 400

    def get_success_url(self):
        return reverse("offers:detail", args=[self.object.reference, self.offer.version])

    def form_invalid(self, form):
        return self.render_detail(status=self.invalid_status, **{self.form_name: form})


class OfferLanguageView(OfferActionView):
    form_class = OfferLanguageForm
    form_name = "language_form"

    def perform(self, form):
        services.offer_update(
            offer=self.offer, actor=self.request.user, language=form.cleaned_data["language"]
        )
        return _("The language of the offer is saved.")


class OfferItemAddView(OfferActionView):
    form_class = OfferItemAddForm
    form_name = "add_form"
    invalid_message = gettext_lazy("The section was not added: correct the marked fields.")

    def perform(self, form):
        services.offer_item_add(offer=self.offer, **form.cleaned_data)
        return _("The section is added.")


class PickView(OfferActionView):
    """Adding from a list the page offered: a choice no longer there is said, not shown."""

    def form_invalid(self, form):
        return redirect(self.get_success_url())


class OfferItemAddServiceView(PickView):
    form_class = ServicePickForm
    invalid_message = services.SERVICE_NOT_AVAILABLE

    def get_form_kwargs(self):
        return {"services": selectors.catalogue_services_for_case(case=self.object)}

    def perform(self, form):
        services.offer_item_add_from_service(offer=self.offer, service=form.cleaned_data["service"])
        return _("The service is added to the offer.")


class OfferItemAddRequestView(PickView):
    form_class = RequestPickForm
    invalid_message = services.ANSWER_NOT_USABLE

    def get_form_kwargs(self):
        user = self.request.user
        return {"requests": selectors.answered_requests_queryset(case=self.object, user=user)}

    def perform(self, form):
        services.offer_item_add_from_request(offer=self.offer, request=form.cleaned_data["request"])
        return _("The municipality's answer is added to the offer.")


class ItemMixin:
    """A step on one section of the offer."""

    def load(self):
        super().load()
        self.item = get_object_or_404(self.offer.items, pk=self.kwargs["item_id"])


class OfferItemUpdateView(ItemMixin, OfferActionView):
    form_class = OfferItemForm
    form_name = "item_form"
    invalid_message = gettext_lazy("The section was not saved: correct the marked fields.")

    def get_form_kwargs(self):
        return {"instance": self.item, "prefix": f"item-{self.item.pk}"}

    def perform(self, form):
        services.offer_item_update(item=self.item, **form.cleaned_data)
        return _("The section is saved.")


class OfferItemDeleteView(ItemMixin, OfferActionView):
    form_class = forms.Form

    def perform(self, form):
        services.offer_item_delete(item=self.item)
        return _("The section is removed.")


class OfferSendView(OfferActionView):
    form_class = OfferSendForm
    form_name = "send_form"
    invalid_message = gettext_lazy("The offer was not sent: confirm the step first.")

    def perform(self, form):
        services.offer_send(offer=self.offer, actor=self.request.user)
        return _(
            "The offer is marked as sent and its e-mail is on its way: the PDF is being made "
            "and goes to the person within a minute. The case is now “offer sent”."
        )


class OfferResponseView(OfferActionView):
    form_class = OfferResponseForm
    form_name = "response_form"
    invalid_message = services.UNKNOWN_RESPONSE

    def perform(self, form):
        services.offer_record_response(
            offer=self.offer,
            response=form.cleaned_data["response"],
            note=form.cleaned_data["note"],
            actor=self.request.user,
        )
        return _("The person's response is recorded.")
