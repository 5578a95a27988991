"""The attendee's mails, in the language they registered in: the confirmation (with the
event's calendar link and the privacy notice) and the reminder the day before. Templates in
`templates/events/email/`."""

from typing import TYPE_CHECKING

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from common.urls import absolute_url
from outbox.models import Email
from outbox.services import email_enqueue

from .models import Attendee

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

CONFIRMATION_SUBJECT = _("You are registered: %(title)s")
REMINDER_SUBJECT = _("Tomorrow: %(title)s")


def _send(*, attendee: Attendee, template: str, subject: "StrOrPromise", purpose: str) -> None:
    event = attendee.event
    with translation.override(attendee.language):
        context = {
            "attendee": attendee,
            "event": event,
            "event_url": absolute_url(reverse("events:detail", args=[event.pk])),
            "ical_url": absolute_url(reverse("events:ical", args=[event.pk])),
            "privacy_url": absolute_url(reverse("intake:privacy")),
        }
        email_enqueue(
            to=attendee.email,
            subject=str(subject) % {"title": event.title},
            body=render_to_string(template, context),
            purpose=purpose,
        )


def confirmation_enqueue(*, attendee: Attendee) -> None:
    """The registration's confirmation, stored with the registration."""
    _send(
        attendee=attendee,
        template="events/email/confirmation.txt",
        subject=CONFIRMATION_SUBJECT,
        purpose=Email.Purpose.EVENT_CONFIRMATION,
    )


def reminder_enqueue(*, attendee: Attendee) -> None:
    """The reminder the day before the event (events.services.event_reminders_send)."""
    _send(
        attendee=attendee,
        template="events/email/reminder.txt",
        subject=REMINDER_SUBJECT,
        purpose=Email.Purpose.EVENT_REMINDER,
    )
