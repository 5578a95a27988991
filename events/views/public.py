"""The public event pages (no login, LV/EN/RU): the list of upcoming events, an event's
page with its registration form, the thank-you page and the calendar file.

The registration has the defences of "Dod ziņu!" (intake.views): body size before anything
reads the body, CSRF, the form (honeypot, minimum fill time, signed one-time token), then
the per-IP rate limit counted on valid posts only. Capacity is held by the service under a
row lock; a full event says so and shows no form.
"""

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import get_language
from django.views import View
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.generic import FormView, ListView, TemplateView

from common import ratelimit
from common.errors import DomainError
from common.urls import absolute_url
from intake.views import REJECTED, body_size_limited, rate_limit_exceeded, refusal

from ..forms import RegistrationForm
from ..ical import event_ical
from ..models import Event
from ..selectors import public_event_list
from ..services import attendee_register

SESSION_KEY = "event_registered"


class PublicEventListView(ListView):
    """Upcoming published events, soonest first."""

    template_name = "events/public_list.html"
    context_object_name = "events"
    paginate_by = 20

    def get_queryset(self):
        return public_event_list()


def places_over_limit(request, places: int) -> bool:
    """Places asked for from one connection in the window, beside the contact form's own
    limit: a script cannot fill an event with made-up people from one address."""
    return rate_limit_exceeded(request) or ratelimit.client_over_limit(
        request,
        scope="event-places",
        limit=settings.EVENT_PLACES_PER_CONNECTION,
        window=settings.CONTACT_FORM_RATE_WINDOW_SECONDS,
        cost=places,
    )


@method_decorator(csrf_exempt, name="dispatch")  # checked below, after the size limit
@method_decorator(body_size_limited, name="dispatch")
@method_decorator(csrf_protect, name="dispatch")
class EventDetailView(FormView):
    """An event's page and its registration form; unpublished or past events are 404."""

    form_class = RegistrationForm
    template_name = "events/public_detail.html"

    def dispatch(self, request, *args, **kwargs):
        self.event = get_object_or_404(Event.objects.public(), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        if places_over_limit(self.request, form.cleaned_data["party_size"]):
            return self.render_to_response(
                self.get_context_data(form=form, rate_limited=True), status=429
            )
        try:
            attendee_register(
                event=self.event, data=form.cleaned_data, token=form.cleaned_data["started"],
                language=(get_language() or "lv")[:2],
            )  # fmt: skip
        except DomainError as error:
            form.add_error("party_size", error.message)
            return self.form_invalid(form)
        self.request.session[SESSION_KEY] = self.event.pk
        return redirect("events:thanks", pk=self.event.pk)

    def form_invalid(self, form):
        if form.is_spam():
            return refusal(self.request, REJECTED, status=400)
        return super().form_invalid(form)

    def get_context_data(self, **kwargs):
        left = self.event.capacity - self.event.places_taken()
        return super().get_context_data(event=self.event, places_left=max(left, 0), **kwargs)


class EventThanksView(TemplateView):
    """After a registration in this browser; otherwise back to the event."""

    template_name = "events/public_thanks.html"

    def get(self, request, *args, **kwargs):
        event = get_object_or_404(Event.objects.filter(published=True), pk=kwargs["pk"])
        if request.session.get(SESSION_KEY) != event.pk:
            return redirect("events:detail", pk=event.pk)
        return self.render_to_response(self.get_context_data(event=event))


class EventCalendarView(View):
    """The event as an .ics file for the person's calendar."""

    http_method_names = ["get"]

    def get(self, request, pk):
        event = get_object_or_404(Event.objects.filter(published=True), pk=pk)
        url = absolute_url(reverse("events:detail", args=[event.pk]))
        response = HttpResponse(
            event_ical(event=event, url=url, now=timezone.now()),
            content_type="text/calendar; charset=utf-8",
        )
        response["Content-Disposition"] = f'attachment; filename="event-{event.pk}.ics"'
        return response
