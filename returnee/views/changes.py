"""The person's changes: their details, household and plans (through the coordinators'
correction services, version-checked), documents, consent and the erasure request."""

from __future__ import annotations

import functools

from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import filesizeformat
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from audit.models import AuditEntry
from common.errors import DomainError
from common.versions import VERSION_FIELD, StaleEdit
from coordinators.services.cases import case_needs_update
from coordinators.services.details import (
    case_details_update,
    household_member_remove,
    household_member_save,
    returnee_contact_update,
)
from coordinators.services.versions import RETURNEE_VALUES, case_version

from .. import services
from ..forms import ConfirmForm, ContactDetailsForm, DocumentForm, HouseholdMemberForm, PlansForm
from .base import PersonView, person_audit
from .person import page_context

PLANS_FIELDS = ("municipality", "timeframe", "needs")
SAVED = gettext_lazy("Thank you! Your changes are saved and your coordinator will see them.")


class DetailsView(PersonView):
    """Contact details, plans and household on one page; each form posts on its own."""

    http_method_names = ["get", "head", "post"]

    def forms(self, **bound):
        case = self.case
        returnee = case.returnee
        contact = {name: getattr(returnee, name) for name in RETURNEE_VALUES}
        plans = {"municipality": case.municipality, "timeframe": case.timeframe,
                 "needs": list(case.needs.all())}  # fmt: skip
        version = {VERSION_FIELD: case_version(case=case, fields=RETURNEE_VALUES)}
        plans_version = case_version(case=case, fields=PLANS_FIELDS)
        household_version = case_version(case=case, fields=("household",))
        return {
            "contact_form": bound.get("contact") or ContactDetailsForm(initial=contact | version),
            "plans_form": bound.get("plans")
            or PlansForm(case=case, initial=plans | {VERSION_FIELD: plans_version}),
            "member_form": bound.get("member")
            or HouseholdMemberForm(initial={VERSION_FIELD: household_version}),
            "household_version": household_version,
            "household": list(returnee.household.all()),
        }

    def get(self, request, *args, **kwargs):
        person_audit(request, action=AuditEntry.Action.VIEW, obj=self.case.returnee,
                     reference=self.case.reference)  # fmt: skip
        return self.show()

    def show(self, status=200, **bound):
        context = {"case": self.case, "returnee": self.returnee, **self.forms(**bound)}
        return render(self.request, "returnee/details.html", context, status=status)

    def post(self, request, *args, **kwargs):
        which = request.POST.get("form", "")
        handler = {"contact": self.save_contact, "plans": self.save_plans,
                   "member": self.add_member, "remove": self.remove_member}.get(which)  # fmt: skip
        if handler is None:
            return redirect("returnee:details")
        return handler()

    def attempt(self, key, form, change):
        """Run `change` on a valid form: StaleEdit and refusals shown on the form."""
        if not form.is_valid():
            return self.show(status=400, **{key: form})
        try:
            with transaction.atomic():  # all of a form's changes and their note, or none
                fields = change(form.cleaned_data)
                services.details_changed_note(case=self.case, fields=fields)
        except StaleEdit as error:
            data = self.request.POST.copy()
            data[VERSION_FIELD] = error.current_version
            form = type(form)(data, **({"case": self.case} if key == "plans" else {}))
            form.is_valid()
            form.add_error(None, error.message)
            return self.show(status=409, **{key: form})
        except DomainError as error:
            form.add_error(None, error.message)
            return self.show(status=400, **{key: form})
        person_audit(self.request, action=AuditEntry.Action.UPLOAD, obj=self.case.returnee,
                     reference=self.case.reference)  # fmt: skip
        messages.success(self.request, SAVED if fields else _("Nothing was changed."))
        return redirect("returnee:details")

    def save_contact(self):
        def change(data):
            # The address stays as it is (ContactDetailsForm has none).
            values = {
                name: str(data.get(name, getattr(self.returnee, name))) for name in RETURNEE_VALUES
            }
            return returnee_contact_update(
                case=self.case, data=values, actor=None, version=data["version"]
            )

        return self.attempt("contact", ContactDetailsForm(self.request.POST), change)

    def save_plans(self):
        def change(data):
            changed = case_details_update(
                case=self.case, municipality=data["municipality"], timeframe=data["timeframe"],
                actor=None, version=data["version"],
            )  # fmt: skip
            event = case_needs_update(
                case=self.case, needs=data["needs"], actor=None, version=data["version"]
            )
            return changed + (["needs"] if event else [])

        return self.attempt("plans", PlansForm(self.request.POST, case=self.case), change)

    def add_member(self):
        def change(data):
            household_member_save(
                case=self.case, member=None, relation=data["relation"],
                birth_year=data["birth_year"], actor=None, version=data["version"],
            )  # fmt: skip
            return ["household"]

        return self.attempt("member", HouseholdMemberForm(self.request.POST), change)

    def remove_member(self):
        member = get_object_or_404(self.case.returnee.household, pk=self.request.POST.get("id"))

        def change(data):
            household_member_remove(
                case=self.case, member=member, actor=None, version=request_version(self.request)
            )
            return ["household"]

        return self.attempt("member", HouseholdMemberForm({"relation": member.relation}), change)


def request_version(request):
    return request.POST.get(VERSION_FIELD) or None


def upload_size_limited(view):
    """Refuse a body larger than the document limit allows with 413, before the CSRF check
    parses it (Django would spool a huge upload to disk first)."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = settings.PERSONAL_DOCUMENT_MAX_BYTES + UPLOAD_OVERHEAD + 1
        if length > settings.PERSONAL_DOCUMENT_MAX_BYTES + UPLOAD_OVERHEAD:
            limit = filesizeformat(settings.PERSONAL_DOCUMENT_MAX_BYTES)
            message = str(services.DOCUMENT_TOO_BIG % {"size": limit})
            return HttpResponse(message, status=413, content_type="text/plain")
        return view(request, *args, **kwargs)

    return wrapper


# The form's other fields and the multipart boundaries around the file.
UPLOAD_OVERHEAD = 64 * 1024


@method_decorator(csrf_exempt, name="dispatch")  # checked below, after the size limit
@method_decorator(upload_size_limited, name="dispatch")
@method_decorator(csrf_protect, name="dispatch")
class DocumentUploadView(PersonView):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        form = DocumentForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                document = services.document_upload(
                    case=self.case, upload=form.cleaned_data["file"]
                )
            except DomainError as error:
                form.add_error("file", error.message)
            else:
                person_audit(request, action=AuditEntry.Action.UPLOAD, obj=document,
                             reference=self.case.reference)  # fmt: skip
                messages.success(request, _("Thank you! The document is uploaded."))
                return redirect("returnee:page")
        context = page_context(self, document_form=form)
        return render(request, "returnee/page.html", context, status=400)


class ConfirmedStepView(PersonView):
    """Withdraw consent / ask for erasure: a ticked box, then the service."""

    http_method_names = ["post"]
    prefix = ""

    def post(self, request, *args, **kwargs):
        form = ConfirmForm(request.POST, prefix=self.prefix)
        if not form.is_valid():
            context = page_context(self, **{f"{self.prefix}_form": form})
            return render(request, "returnee/page.html", context, status=400)
        messages.success(request, self.perform(form.cleaned_data["note"]))
        person_audit(request, action=AuditEntry.Action.UPLOAD, obj=self.case.returnee,
                     reference=self.case.reference)  # fmt: skip
        return redirect("returnee:page")


class ConsentWithdrawView(ConfirmedStepView):
    prefix = "consent"

    def perform(self, note):
        services.sharing_consent_withdraw(case=self.case)
        return _("Your consent is withdrawn: we will not pass your contact details on.")


class ErasureAskView(ConfirmedStepView):
    prefix = "erasure"

    def perform(self, note):
        services.erasure_ask(case=self.case, note=note)
        return _(
            "Your request is received. Your coordinator will erase your data and confirm it "
            "by e-mail."
        )
