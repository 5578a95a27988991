"""A municipality's application: start it, add activities with costs, submit it; after the
award, report on each activity."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView

from common.errors import DomainError
from common.forms import focus_first_error
from common.versions import StaleEdit

from .. import selectors, services
from ..forms import ActivityForm, ActivityReportForm, ApplicationForm, BudgetLineFormSet
from ..models import Application
from .base import GrantsView, application_for, call_for


class ApplicationCreateView(GrantsView, FormView):
    """A specialist starts the draft; after the deadline the service refuses it."""

    template_name = "grants/application_form.html"
    form_class = ApplicationForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.call = call_for(request.user, kwargs["pk"])
            if not request.user.is_municipal_specialist:
                raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(call=self.call, **kwargs)

    def form_valid(self, form):
        try:
            application = services.application_create(
                call=self.call, actor=self.request.user,
                title=form.cleaned_data["title"], summary=form.cleaned_data["summary"],
            )  # fmt: skip
        except DomainError as error:
            form.add_error(None, error.message)
            return self.form_invalid(form)
        messages.success(self.request, _("The draft is saved. Now add its activities."))
        return redirect("grants:application_detail", pk=application.pk)

    def form_invalid(self, form):
        return super().form_invalid(focus_first_error(form))


class ApplicationDetailView(GrantsView, TemplateView):
    """The application; for its municipality's draft also the forms that change it."""

    template_name = "grants/application_detail.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        application = selectors.application_detail(user=user, pk=self.kwargs["pk"])
        if application is None:
            raise Http404
        own = user.is_municipal_specialist and user.municipality_id == application.municipality_id
        editable = own and application.status == Application.Status.DRAFT
        if editable:
            kwargs.setdefault("form", ApplicationForm(initial=self.initial(application)))
            kwargs.setdefault("activity_form", ActivityForm(kinds=application.call.activity_kinds))
            kwargs.setdefault("budget_formset", BudgetLineFormSet(prefix="lines"))
        return super().get_context_data(
            application=application, call=application.call, own=own, editable=editable,
            requested=application.requested_total(),
            decided=application.call.decided_at is not None,
            event_funnels=selectors.activity_event_funnels(application=application), **kwargs,
        )  # fmt: skip

    @staticmethod
    def initial(application):
        return {
            "title": application.title,
            "summary": application.summary,
            "version": services.application_version(application),
        }

    def post(self, request, *args, **kwargs):
        application = application_for(request.user, kwargs["pk"], role="own")
        form = ApplicationForm(request.POST)
        if form.is_valid():
            try:
                services.application_update(
                    application=application, title=form.cleaned_data["title"],
                    summary=form.cleaned_data["summary"], version=form.cleaned_data["version"],
                )  # fmt: skip
            except StaleEdit as error:
                form.add_error(None, error.message)
                form.data = form.data.copy() | {"version": error.current_version}
            except DomainError as error:
                return self.refused(error, request.path)
            else:
                messages.success(request, _("The application is saved."))
                return redirect(request.path)
        return self.render_to_response(self.get_context_data(form=focus_first_error(form)))


class ActivityAddView(GrantsView, View):
    """POST: an activity with its costs added to the municipality's draft."""

    def post(self, request, pk):
        application = application_for(request.user, pk, role="own")
        form = ActivityForm(request.POST, kinds=application.call.activity_kinds)
        lines = BudgetLineFormSet(request.POST, prefix="lines")
        if form.is_valid() and lines.is_valid():
            costs = [
                (line["description"], line["amount"])
                for line in lines.cleaned_data
                if line.get("description")
            ]
            try:
                services.activity_add(
                    application=application, budget_lines=costs, **form.cleaned_data
                )
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("The activity is added."))
                return redirect("grants:application_detail", pk=pk)
        view = ApplicationDetailView(request=request, kwargs={"pk": pk})
        context = view.get_context_data(activity_form=focus_first_error(form), budget_formset=lines)
        return render(request, view.template_name, context, status=200)


class ActivityDeleteView(GrantsView, View):
    def post(self, request, pk, activity_id):
        application = application_for(request.user, pk, role="own")
        activity = application.activities.filter(pk=activity_id).first()
        if activity is None:
            raise Http404
        try:
            services.activity_delete(activity=activity)
        except DomainError as error:
            return self.refused(error, reverse("grants:application_detail", args=[pk]))
        messages.success(request, _("The activity is removed."))
        return redirect("grants:application_detail", pk=pk)


class ApplicationSubmitView(GrantsView, View):
    def post(self, request, pk):
        application = application_for(request.user, pk, role="own")
        try:
            services.application_submit(application=application)
        except DomainError as error:
            return self.refused(error, reverse("grants:application_detail", args=[pk]))
        messages.success(request, _("The application is submitted to the committee."))
        return redirect("grants:application_detail", pk=pk)


class ActivityReportView(GrantsView, FormView):
    """A funded activity reports back: done, spent, people reached, events held."""

    template_name = "grants/activity_report.html"
    form_class = ActivityReportForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            application = application_for(request.user, kwargs["pk"], role="own")
            self.activity = application.activities.filter(pk=kwargs["activity_id"]).first()
            if self.activity is None or application.status != Application.Status.AWARDED:
                raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        fields = ("done", "spent", "people_reached", "events_held", "reported_events")
        initial = {name: getattr(self.activity, name) for name in fields}
        return initial | {"events": list(self.activity.events.values_list("pk", flat=True))}

    def get_form_kwargs(self):
        events = selectors.reportable_events(call=self.activity.application.call)
        return super().get_form_kwargs() | {"events": events}

    def get_context_data(self, **kwargs):
        return super().get_context_data(activity=self.activity, **kwargs)

    def form_valid(self, form):
        try:
            services.activity_report(activity=self.activity, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, error.message)
            return self.form_invalid(form)
        messages.success(self.request, _("The report is saved."))
        return redirect("grants:application_detail", pk=self.activity.application_id)
