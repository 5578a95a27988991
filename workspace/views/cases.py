"""Case list, case page and the forms on it, new case by hand, bulk actions."""

from urllib.parse import urlsplit

from django.contrib import messages
from django.http import QueryDict
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import ngettext
from django.views.generic import FormView, ListView, View

from audit.services import audit_case_viewed, audit_list_viewed
from common.errors import DomainError
from common.forms import choices_fetched, focus_first_error
from common.redirects import safe_next_url
from coordinators.models import Case
from coordinators.services.cases import (
    case_assign,
    case_attention_clear,
    case_bulk_assign,
    case_create_by_hand,
    case_needs_update,
)
from coordinators.services.interactions import interaction_log
from coordinators.services.pipeline import case_bulk_transition, case_transition
from coordinators.services.requests import municipality_requests_create
from coordinators.services.versions import case_version
from coordinators.views import CaseActionView, CaseScopedMixin, CaseWorkerRequiredMixin
from duplicates.services import duplicates_detect
from savedviews.models import SavedView

from ..bulk_forms import BulkActionForm
from ..forms import (
    AssignForm,
    CaseCreateForm,
    CaseFilterForm,
    CaseSearchForm,
    InteractionForm,
    MunicipalityRequestForm,
    NeedsForm,
    StatusForm,
)
from ..selectors import (
    CasePageReference,
    case_page_data,
    case_page_prefetch,
    case_page_queryset,
    case_page_rows,
    timeline_limit_parse,
)
from ..selectors import case_list as case_list_select
from ..services import SEARCH_SESSION_KEY
from .detail_forms import choices_share, detail_forms, transfer_forms

PAGE_SIZE = 50


class CaseListView(CaseScopedMixin, ListView):
    """All cases the user may see, filtered by the query string, 50 a page."""

    template_name = "workspace/case_list.html"
    context_object_name = "cases"
    paginate_by = PAGE_SIZE

    def get_queryset(self):
        # A coordinator's list opens at their work; "all I may see" is one choice away.
        data = self.request.GET
        if not data and self.request.user.is_regional_coordinator:
            data = QueryDict("work=mine")
        self.filter_form = CaseFilterForm(data, user=self.request.user)
        filters, ignored = self.filter_form.valid_filters()
        if filters.pop("search", False):
            filters["q"] = self.request.session.get(SEARCH_SESSION_KEY, "")
        for label in ignored:
            messages.warning(
                self.request,
                _("The filter “%(filter)s” had a value that is not valid and was ignored.")
                % {"filter": label},
            )
        self.filters = filters
        return case_list_select(user=self.request.user, filters=filters)

    def paginate_queryset(self, queryset, page_size):
        # Ids only; case_page_rows fetches the rows of the page. get_page: a page number
        # that is not a number or is too big shows a valid page.
        paginator = self.get_paginator(queryset.values_list("pk", flat=True), page_size)
        page = paginator.get_page(self.request.GET.get("page"))
        return paginator, page, page.object_list, page.has_other_pages()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["cases"] = case_page_rows(context["page_obj"].object_list)
        # Names on a list are personal data too: the list, its row count, the filters' names.
        filters = {"search" if name == "q" else name for name in self.filters} - {"sort"}
        audit_list_viewed(
            request=self.request, what="case list", rows=context["paginator"].count,
            filters=filters,
        )  # fmt: skip
        context["filter_form"] = self.filter_form
        context["today"] = timezone.localdate()
        context["filters_active"] = bool(set(self.filters) - {"sort", "work"})
        context["search_form"] = CaseSearchForm(
            initial={"q": self.filters.get("q", ""), "next": self.request.get_full_path()}
        )
        context["saved_views"] = list(SavedView.objects.filter(user=self.request.user))
        context["query"] = self.filter_form.data.urlencode()
        context["bulk_form"] = BulkActionForm(
            cases=Case.objects.none(), user=self.request.user, auto_id="bulk_%s"
        )
        choices_fetched(context["bulk_form"].fields["coordinator"], self.filter_form.coordinators)
        return context


class CaseSearchView(CaseWorkerRequiredMixin, View):
    """Keep the search text in the session and show the list with `search=on`."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        form = CaseSearchForm(request.POST)
        form.is_valid()
        text = form.cleaned_data.get("q", "").strip()
        url = reverse("workspace:case_list")
        # Keep the filters of the list the search was typed on; start on page 1.
        back = urlsplit(form.cleaned_data.get("next", ""))
        params = QueryDict(back.query if back.path == url else "", mutable=True)
        for name in ("page", "search"):
            params.pop(name, None)
        request.session[SEARCH_SESSION_KEY] = text
        if text:
            params["search"] = "on"
        return redirect(f"{url}?{params.urlencode()}" if params else url)


class CasePageMixin(CaseScopedMixin):
    """The case page: person and household, needs, status, one timeline, and its forms."""

    template_name = "workspace/case_detail.html"
    object: Case

    def get_queryset(self):
        return case_page_queryset(user=self.request.user)

    def get_object(self, queryset=None):
        case = super().get_object(queryset)
        case_page_prefetch(case)
        return case

    def case_forms(self, case):
        """The page's forms, unbound; a bound one with errors replaces its namesake. Each
        edit form carries the version of what it shows (common.versions)."""
        version = lambda *fields: case_version(case=case, fields=fields)  # noqa: E731
        needs = [need.pk for need in case.needs.all()]
        return {
            "interaction_form": InteractionForm(
                prefix="interaction", initial={"version": version("next_follow_up")}
            ),
            "status_form": StatusForm(case=case, prefix="status"),
            "needs_form": NeedsForm(
                prefix="needs", initial={"needs": needs, "version": version("needs")}
            ),
            "assign_form": AssignForm(
                user=self.request.user,
                planning_region=case.planning_region,
                prefix="assign",
                initial={"coordinator": case.coordinator_id, "version": version("coordinator")},
            ),  # fmt: skip
            "request_form": MunicipalityRequestForm(case=case, prefix="request"),
            **detail_forms(case),
            **transfer_forms(case, self.request.user),
        }

    def render_page(self, **bound_forms):
        case = self.object
        forms = self.case_forms(case)
        bound_member = bound_forms.pop("member_form", None)
        if bound_member is not None and bound_member.prefix != "member":
            forms["household_forms"] = [
                (member, bound_member if form.prefix == bound_member.prefix else form)
                for member, form in forms["household_forms"]
            ]
        elif bound_member is not None:
            forms["member_add_form"] = bound_member
        forms.update(bound_forms)
        reference = CasePageReference()
        choices_share(forms, case=case, reference=reference)
        context = {"case": case, "object": case, **forms}
        limit = timeline_limit_parse(self.request.GET.get("timeline"))
        context.update(
            case_page_data(
                case=case, user=self.request.user, reference=reference, timeline_limit=limit
            )
        )
        # Who saw a person's data is logged (GDPR), after a GET and after an invalid form
        # alike; the entry names the case, not the person.
        audit_case_viewed(request=self.request, case=case)
        return TemplateResponse(self.request, self.template_name, context)


class CaseDetailView(CasePageMixin, View):
    http_method_names = ["get", "head"]

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        return self.render_page()


class CaseFormView(CasePageMixin, CaseActionView):
    """A form on the case page; invalid → the page again with the errors and what was typed."""

    form_name = ""
    prefix = ""
    anchor = ""
    invalid_message = _lazy("Please correct the errors below.")

    def get_form_kwargs(self):
        return {"prefix": self.prefix}

    def form_invalid(self, form):
        return self.render_page(**{self.form_name: form})

    def get_success_url(self):
        url = reverse("workspace:case_detail", args=[self.object.reference])
        return f"{url}#{self.anchor}" if self.anchor else url


class InteractionCreateView(CaseFormView):
    form_class = InteractionForm
    form_name, prefix, anchor = "interaction_form", "interaction", "timeline"

    def perform(self, form):
        interaction_log(case=self.object, author=self.request.user, **form.cleaned_data)
        return _("The contact is logged.")


class StatusChangeView(CaseFormView):
    form_class = StatusForm
    form_name, prefix = "status_form", "status"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "case": self.object}

    def perform(self, form):
        data = form.cleaned_data
        event = case_transition(
            case=self.object,
            to_status=data["to_status"],
            actor=self.request.user,
            note=data["note"],
            closed_reason=data["closed_reason"],
            expected_status=data["expected_status"],
        )
        if event is None:
            return _("The case already had this status; nothing changed.")
        return _("The status is now “%(status)s”.") % {"status": self.object.get_status_display()}


class NeedsUpdateView(CaseFormView):
    form_class = NeedsForm
    form_name, prefix = "needs_form", "needs"

    def perform(self, form):
        case_needs_update(case=self.object, actor=self.request.user, **form.cleaned_data)
        return _("The needs are saved.")


class AssignView(CaseFormView):
    form_class = AssignForm
    form_name, prefix = "assign_form", "assign"

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "user": self.request.user,
            "planning_region": self.object.planning_region,
        }

    def perform(self, form):
        coordinator = form.cleaned_data["coordinator"]
        case_assign(
            case=self.object,
            coordinator=coordinator,
            actor=self.request.user,
            version=form.cleaned_data["version"],
        )
        if coordinator is None:
            return _("The case is not assigned to anyone now.")
        return _("The case is assigned to %(name)s.") % {
            "name": coordinator.get_full_name() or coordinator.get_username()
        }


class MunicipalityRequestCreateView(CaseFormView):
    form_class = MunicipalityRequestForm
    form_name, prefix, anchor = "request_form", "request", "timeline"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "case": self.object}

    def perform(self, form):
        requests = municipality_requests_create(
            case=self.object, actor=self.request.user, **form.cleaned_data
        )
        names = ", ".join(request.municipality.name for request in requests)
        return ngettext(
            "The question is sent to %(municipalities)s.",
            "The question is sent to %(count)d municipalities: %(municipalities)s.",
            len(requests),
        ) % {"municipalities": names, "count": len(requests)}


class AttentionClearView(CaseFormView):
    """ "Seen": a button, no fields."""

    def perform(self, form):
        case_attention_clear(case=self.object)
        return _("Marked as seen.")


class CaseCreateView(CaseWorkerRequiredMixin, FormView):
    """A new case for a contact that came by phone, e-mail or at an event."""

    template_name = "workspace/case_form.html"
    form_class = CaseCreateForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_invalid(self, form):
        return super().form_invalid(focus_first_error(form))

    def form_valid(self, form):
        returnee, case, needs, household = form.instances()
        try:
            case = case_create_by_hand(
                returnee=returnee,
                case=case,
                needs=needs,
                household=household,
                actor=self.request.user,
                assign_to_actor=form.cleaned_data.get("assign_to_me", False),
            )
        except DomainError as error:
            form.add_error("email", error.message)
            return self.form_invalid(form)
        messages.success(
            self.request, _("Case %(reference)s is created.") % {"reference": case.reference}
        )
        if duplicates_detect(case=case):
            messages.warning(self.request, _("This person may be registered already: see below."))
        return redirect("workspace:case_detail", reference=case.reference)


class BulkActionView(CaseScopedMixin, View):
    """Assign or move the ticked cases; only cases the user may see can be ticked."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        back = safe_next_url(
            request, request.POST.get("next", ""), default=reverse("workspace:case_list")
        )
        form = BulkActionForm(request.POST, cases=self.get_queryset(), user=request.user)
        if not form.is_valid():
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
            return redirect(back)
        done, refused = self.perform(form.cleaned_data)
        messages.success(
            request,
            ngettext("%(count)d case updated.", "%(count)d cases updated.", done) % {"count": done},
        )
        for reference, reason in refused:
            messages.warning(request, f"{reference}: {reason}")
        return redirect(back)

    def perform(self, data):
        """Each case is a transaction of its own: (done, [(reference, reason refused)])."""
        if data["action"] == "assign":
            return case_bulk_assign(
                cases=data["cases"], coordinator=data["coordinator"], actor=self.request.user
            )
        return case_bulk_transition(
            cases=data["cases"],
            to_status=data["to_status"],
            closed_reason=data["closed_reason"],
            actor=self.request.user,
        )
