"""Pages of the offer builder. Every view finds the case through `Case.objects.visible_to`,
so another region's case is the same 404 as a case that does not exist."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from audit.models import AuditEntry
from audit.services import audit_record
from common.redirects import safe_next_url

from . import selectors, services
from .forms import (
    OfferItemAddForm,
    OfferItemForm,
    OfferLanguageForm,
    OfferResponseForm,
    RequestPickForm,
    ServicePickForm,
)
from .models import Offer


def _case_and_offer(request, reference, version):
    case = selectors.case_get_for_offers(user=request.user, reference=reference)
    return case, selectors.offer_get(case=case, version=version)


def _to_offer(offer):
    return redirect("offers:detail", reference=offer.case.reference, version=offer.version)


def case_url(case):
    """The case page of the coordinators' workspace."""
    return reverse("coordinators:case_detail", kwargs={"reference": case.reference})


def _item_form(item, bound_item):
    if bound_item is not None and bound_item.instance.pk == item.pk:
        return bound_item
    return OfferItemForm(instance=item, prefix=f"item-{item.pk}")


def render_detail(request, case, offer, *, status=200, **forms):
    """The builder (drafts) or the read-only view (sent versions), with any bound forms."""
    items = selectors.offer_items(offer=offer)
    is_draft = offer.status == Offer.Status.DRAFT
    needs = list(case.needs.all()) if is_draft else []
    catalogue = selectors.catalogue_for_case(case=case) if is_draft else {}
    answers = selectors.answered_requests_for_case(case=case, user=request.user) if is_draft else {}
    bound_item = forms.pop("item_form", None)
    sections = []
    for need, need_items in selectors.offer_sections(offer=offer, items=items, needs=needs):
        rows = [(item, _item_form(item, bound_item) if is_draft else None) for item in need_items]
        sections.append(
            {
                "need": need,
                "items": rows,
                "services": catalogue.get(need.pk, []),
                "answers": answers.get(need.pk, []),
            }
        )
    context = selectors.offer_document_context(offer=offer)
    context.update(
        {
            "is_draft": is_draft,
            "case_url": case_url(case),
            "builder_sections": sections,
            "versions": selectors.offer_list_for_case(case=case),
            "language_form": OfferLanguageForm(initial={"language": offer.language}),
            "add_form": forms.pop("add_form", None) or OfferItemAddForm(),
            "response_form": forms.pop("response_form", None) or OfferResponseForm(),
        }
    )
    context.update(forms)
    return render(request, "offers/detail.html", context, status=status)


@login_required
@require_POST
def offer_create(request, reference):
    """ "Prepare offer" on the case page, and "Make a new version" on a sent offer."""
    case = selectors.case_get_for_offers(user=request.user, reference=reference)
    try:
        offer = services.offer_create_draft(case=case, actor=request.user)
    except services.OfferError as error:
        messages.error(request, error.message)
        draft = case.offers.filter(status=Offer.Status.DRAFT).first()
        if draft is not None:
            return _to_offer(draft)
        back = safe_next_url(request, request.POST.get("next", ""), default=case_url(case))
        return redirect(back)
    messages.success(
        request,
        _("Version %(version)s of the offer is ready to edit.") % {"version": offer.version},
    )
    return _to_offer(offer)


@login_required
@require_GET
def offer_detail(request, reference, version):
    case, offer = _case_and_offer(request, reference, version)
    audit_record(action=AuditEntry.Action.VIEW, request=request, obj=offer, reference=reference)
    return render_detail(request, case, offer)


@login_required
@require_GET
def offer_pdf(request, reference, version):
    """The offer as the person receives it (for a draft: as it would look now)."""
    case, offer = _case_and_offer(request, reference, version)
    audit_record(action=AuditEntry.Action.DOWNLOAD, request=request, obj=offer, reference=reference)
    response = HttpResponse(services.offer_pdf(offer=offer), content_type="application/pdf")
    disposition = "attachment" if request.GET.get("download") else "inline"
    response["Content-Disposition"] = (
        f'{disposition}; filename="{services.offer_pdf_filename(offer)}"'
    )
    return response


def _run(request, offer, action, success_message):
    """Call a service; show its refusal as a message instead of an error page."""
    try:
        action()
    except services.OfferError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, success_message)
    return _to_offer(offer)


@login_required
@require_POST
def offer_language(request, reference, version):
    case, offer = _case_and_offer(request, reference, version)
    form = OfferLanguageForm(request.POST)
    if not form.is_valid():
        return render_detail(request, case, offer, language_form=form, status=400)
    return _run(
        request,
        offer,
        lambda: services.offer_update(
            offer=offer, actor=request.user, language=form.cleaned_data["language"]
        ),
        _("The language of the offer is saved."),
    )


@login_required
@require_POST
def offer_item_add(request, reference, version):
    case, offer = _case_and_offer(request, reference, version)
    form = OfferItemAddForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The section was not added: correct the marked fields."))
        return render_detail(request, case, offer, add_form=form, status=400)
    return _run(
        request,
        offer,
        lambda: services.offer_item_add(offer=offer, **form.cleaned_data),
        _("The section is added."),
    )


@login_required
@require_POST
def offer_item_add_service(request, reference, version):
    case, offer = _case_and_offer(request, reference, version)
    form = ServicePickForm(request.POST, services=selectors.catalogue_services_for_case(case=case))
    if not form.is_valid():
        messages.error(request, services.SERVICE_NOT_AVAILABLE)
        return _to_offer(offer)
    return _run(
        request,
        offer,
        lambda: services.offer_item_add_from_service(
            offer=offer, service=form.cleaned_data["service"]
        ),
        _("The service is added to the offer."),
    )


@login_required
@require_POST
def offer_item_add_request(request, reference, version):
    case, offer = _case_and_offer(request, reference, version)
    form = RequestPickForm(
        request.POST,
        requests=selectors.answered_requests_queryset(case=case, user=request.user),
    )
    if not form.is_valid():
        messages.error(request, services.ANSWER_NOT_USABLE)
        return _to_offer(offer)
    return _run(
        request,
        offer,
        lambda: services.offer_item_add_from_request(
            offer=offer, request=form.cleaned_data["request"]
        ),
        _("The municipality's answer is added to the offer."),
    )


@login_required
@require_POST
def offer_item_update(request, reference, version, item_id):
    case, offer = _case_and_offer(request, reference, version)
    item = get_object_or_404(offer.items, pk=item_id)
    form = OfferItemForm(request.POST, instance=item, prefix=f"item-{item.pk}")
    if not form.is_valid():
        messages.error(request, _("The section was not saved: correct the marked fields."))
        return render_detail(request, case, offer, item_form=form, status=400)
    return _run(
        request,
        offer,
        lambda: services.offer_item_update(item=item, **form.cleaned_data),
        _("The section is saved."),
    )


@login_required
@require_POST
def offer_item_delete(request, reference, version, item_id):
    case, offer = _case_and_offer(request, reference, version)
    item = get_object_or_404(offer.items, pk=item_id)
    return _run(
        request,
        offer,
        lambda: services.offer_item_delete(item=item),
        _("The section is removed."),
    )


@login_required
@require_POST
def offer_send(request, reference, version):
    case, offer = _case_and_offer(request, reference, version)
    return _run(
        request,
        offer,
        lambda: services.offer_send(offer=offer, actor=request.user),
        _("The offer is sent to the person by e-mail; the case is now “offer sent”."),
    )


@login_required
@require_POST
def offer_response(request, reference, version):
    case, offer = _case_and_offer(request, reference, version)
    form = OfferResponseForm(request.POST)
    if not form.is_valid():
        messages.error(request, services.UNKNOWN_RESPONSE)
        return render_detail(request, case, offer, response_form=form, status=400)
    return _run(
        request,
        offer,
        lambda: services.offer_record_response(
            offer=offer,
            response=form.cleaned_data["response"],
            note=form.cleaned_data["note"],
            actor=request.user,
        ),
        _("The person's response is recorded."),
    )
