"""Transfers between planning regions: the proposal on the case page, the list of the
region's transfers, and the target region's decision on a page of its own (its
coordinators see the proposal before they see the case)."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import ListView, View

from common.errors import DomainError
from common.forms import focus_first_error
from coordinators.models import Case
from coordinators.views import CaseWorkerRequiredMixin
from transfers.models import CaseTransfer
from transfers.selectors import transfer_list
from transfers.services import (
    case_move_directly,
    transfer_accept,
    transfer_decline,
    transfer_propose,
    transfer_withdraw,
)

from ..transfer_forms import TransferAcceptForm, TransferDeclineForm, TransferProposeForm
from .cases import CaseFormView


class TransferProposeView(CaseFormView):
    form_class = TransferProposeForm
    form_name, prefix, anchor = "transfer_form", "transfer", "transfer"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "case": self.object, "user": self.request.user}

    def perform(self, form):
        data = dict(form.cleaned_data)
        service = case_move_directly if data.pop("move_now", False) else transfer_propose
        service(case=self.object, actor=self.request.user, **data)
        region = data["to_region"].name
        if service is case_move_directly:
            return _("The case is moved to %(region)s.") % {"region": region}
        return _("The case is proposed to %(region)s.") % {"region": region}


class TransferListView(CaseWorkerRequiredMixin, ListView):
    """The transfers from and to the user's region, by status, 50 a page."""

    template_name = "workspace/transfer_list.html"
    context_object_name = "transfers"
    paginate_by = 50

    def get_queryset(self):
        self.status = self.request.GET.get("status", CaseTransfer.Status.PROPOSED)
        if self.status not in CaseTransfer.Status.values:
            self.status = CaseTransfer.Status.PROPOSED
        return transfer_list(user=self.request.user, status=self.status)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["status"] = self.status
        context["status_choices"] = CaseTransfer.Status.choices
        return context


class TransferDetailView(CaseWorkerRequiredMixin, View):
    """One transfer; the target region accepts or declines it here."""

    template_name = "workspace/transfer_detail.html"

    def load(self):
        self.transfer = get_object_or_404(
            transfer_list(user=self.request.user).select_related("case__returnee"),
            pk=self.kwargs["pk"],
        )

    def render(self, decline_form=None):
        user, transfer = self.request.user, self.transfer
        # The case's needs and household while the proposal is open, or for whoever sees the
        # case now: once it has moved, the sending region reads no more of it here.
        show_case = transfer.status == CaseTransfer.Status.PROPOSED or (
            Case.objects.visible_to(user).filter(pk=transfer.case_id).exists()
        )
        context = {
            "transfer": transfer,
            "show_case": show_case,
            "needs": transfer.case.needs.all() if show_case else [],
            "household_size": transfer.case.returnee.household.count() if show_case else 0,
            "can_decide": CaseTransfer.objects.decidable_by(user).filter(pk=transfer.pk).exists(),
            "can_withdraw": CaseTransfer.objects.withdrawable_by(user)
            .filter(pk=transfer.pk)
            .exists(),
            "accept_form": TransferAcceptForm(prefix="accept"),
            "decline_form": decline_form or TransferDeclineForm(prefix="decline"),
        }
        return TemplateResponse(self.request, self.template_name, context)

    def get(self, request, *args, **kwargs):
        self.load()
        return self.render()


class TransferDecideView(TransferDetailView):
    """Accept, decline or withdraw: POST only, each from its own queryset (a 404 for a
    transfer the user may see but not decide)."""

    http_method_names = ["post"]
    action = ""

    def load(self):
        if self.action == "withdraw":
            queryset = CaseTransfer.objects.withdrawable_by(self.request.user)
        else:
            queryset = CaseTransfer.objects.decidable_by(self.request.user)
        self.transfer = get_object_or_404(
            queryset.select_related("case__returnee", "from_region", "to_region"),
            pk=self.kwargs["pk"],
        )

    def post(self, request, *args, **kwargs):
        self.load()
        form_class = TransferDeclineForm if self.action == "decline" else TransferAcceptForm
        form = form_class(request.POST, prefix=self.action)
        if not form.is_valid():
            messages.error(request, _("Please correct the errors below."))
            return self.render(decline_form=focus_first_error(form))
        try:
            message = self.perform(form.cleaned_data.get("note", ""))
        except DomainError as error:
            messages.error(request, error.message)
            return redirect("workspace:transfer_detail", pk=self.transfer.pk)
        messages.success(request, message)
        if self.action == "accept":
            return redirect(reverse("workspace:case_detail", args=[self.transfer.case.reference]))
        return redirect("workspace:transfer_detail", pk=self.transfer.pk)

    def perform(self, note):
        transfer, actor = self.transfer, self.request.user
        reference = transfer.case.reference
        if self.action == "accept":
            transfer_accept(transfer=transfer, actor=actor, note=note)
            return _("Case %(reference)s is now in your region.") % {"reference": reference}
        if self.action == "decline":
            transfer_decline(transfer=transfer, actor=actor, note=note)
            return _("The transfer of %(reference)s is declined.") % {"reference": reference}
        transfer_withdraw(transfer=transfer, actor=actor)
        return _("The proposal for %(reference)s is withdrawn.") % {"reference": reference}
