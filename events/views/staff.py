"""The staff's event pages: the list, new event and its changes (version-checked), the
event's page with the attendee list (check-in on a phone: one POST per attendee, no JS
needed), the funnel, and the one step that turns the attendees who agreed into contacts.

Every page fetches the event through `Event.objects.visible_to(user)`: another region's
event is the same 404 as a missing one; roles that do not work cases get 403."""

from typing import Any

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import FormView, ListView, TemplateView, View

from audit.services import audit_list_viewed
from common.errors import DomainError
from common.forms import focus_first_error
from common.versions import StaleEdit
from coordinators.views import CaseWorkerRequiredMixin

from ..forms import EventForm
from ..models import Attendee, Event
from ..selectors import event_attendees, event_funnel, event_list
from ..services import attendee_check_in, event_contacts_make, event_save, event_version


class EventScopedMixin(CaseWorkerRequiredMixin):
    """One event in the user's scope, by its id in the URL (404 outside the scope)."""

    kwargs: dict[str, Any]

    def get_event(self) -> Event:
        return get_object_or_404(Event.objects.visible_to(self.request.user), pk=self.kwargs["pk"])


class EventListView(CaseWorkerRequiredMixin, ListView):
    """The events of the user's region (all, for national administrators)."""

    template_name = "events/staff_list.html"
    context_object_name = "events"
    paginate_by = 50

    def get_queryset(self):
        self.search = self.request.GET.get("q", "").strip()[:100]
        self.sort = self.request.GET.get("sort", "-date")
        return event_list(user=self.request.user, search=self.search, sort=self.sort)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(search=self.search, sort=self.sort, **kwargs)
        # The funnel of the events on this page, by event: three queries whatever the page.
        page = Event.objects.filter(pk__in=[event.pk for event in context["events"]])
        funnels = {row["pk"]: row for row in event_funnel(events=page)}
        context["rows"] = [(event, funnels[event.pk]) for event in context["events"]]
        return context


class EventFormView(CaseWorkerRequiredMixin, FormView):
    """A new event; EventUpdateView changes one."""

    form_class = EventForm
    template_name = "events/staff_form.html"
    event: Event | None = None

    def get_form_kwargs(self):
        kwargs = {**super().get_form_kwargs(), "user": self.request.user, "instance": self.event}
        if self.event is not None and self.request.method == "GET":
            kwargs["initial"] = {"version": event_version(self.event)}
        return kwargs

    def form_valid(self, form):
        version = form.cleaned_data.pop("version")
        try:
            event = event_save(event=form.instance, actor=self.request.user, version=version)
        except StaleEdit as error:
            return self.stale(form, error)
        messages.success(self.request, _("The event is saved."))
        return redirect("events:staff_detail", pk=event.pk)

    def stale(self, form, error):
        """Saved by someone else meanwhile: the form again, what was typed kept."""
        data = self.request.POST.copy()
        data["version"] = error.current_version
        fresh = self.form_class(**{**self.get_form_kwargs(), "data": data})
        fresh.is_valid()
        fresh.add_error(None, error.message)
        return self.form_invalid(fresh)

    def form_invalid(self, form):
        return super().form_invalid(focus_first_error(form))

    def get_context_data(self, **kwargs):
        return super().get_context_data(event=self.event, **kwargs)


class EventUpdateView(EventScopedMixin, EventFormView):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and request.user.can_work_cases:
            self.event = self.get_event()
        return super().dispatch(request, *args, **kwargs)


class EventDetailStaffView(EventScopedMixin, TemplateView):
    """The event, its attendees with check-in, the funnel and the "make contacts" step."""

    template_name = "events/staff_detail.html"

    def get_context_data(self, **kwargs):
        event = self.get_event()
        attendees = list(event_attendees(event=event, user=self.request.user))
        audit_list_viewed(
            request=self.request, what=f"event {event.pk} attendees", rows=len(attendees)
        )
        (funnel,) = event_funnel(events=Event.objects.filter(pk=event.pk))
        ready = [
            a
            for a in attendees
            if a.checked_in_at and a.contact_consent_at and not a.contact_made_at
        ]
        return super().get_context_data(
            event=event, attendees=attendees, funnel=funnel, ready=len(ready),
            places_taken=event.places_taken(), **kwargs,
        )  # fmt: skip


class CheckInView(EventScopedMixin, View):
    """Check one attendee in (POST); back to the list at that attendee."""

    http_method_names = ["post"]

    def post(self, request, pk, attendee_id):
        event = self.get_event()
        attendee = get_object_or_404(Attendee.objects.filter(event=event), pk=attendee_id)
        messages.success(request, attendee_check_in(attendee=attendee, actor=request.user))
        return redirect(f"{event_url(event)}#attendee-{attendee.pk}")


class ContactsMakeView(EventScopedMixin, View):
    """Turn the checked-in attendees who agreed into contacts (idempotent)."""

    http_method_names = ["post"]

    def post(self, request, pk):
        event = self.get_event()
        try:
            messages.success(request, event_contacts_make(event=event, actor=request.user))
        except DomainError as error:
            messages.error(request, error.message)
        return redirect(event_url(event))


def event_url(event: Event) -> str:
    return reverse("events:staff_detail", args=[event.pk])
