"""Writes on events: saving an event (version-checked), a registration (capacity held under
a row lock, one row per form instance), check-in, the one step that turns the attendees who
agreed into contacts, the reminders the day before, and forgetting an erased person."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from common.dates import date_text, start_of_day
from common.errors import DomainError
from common.versions import version_check, version_token
from coordinators.models import Case, ContactSubmission, Interaction, Returnee, User
from coordinators.services.cases import case_create, returnee_build
from coordinators.services.contacts import contact_data_dump

from . import emails
from .models import Attendee, Event

EVENT_FULL = _("Sorry, this event is full.")
NOT_ENOUGH_PLACES = _("Sorry, only %(left)s places are left at this event.")
REGISTRATION_CLOSED = _("Registration for this event is closed.")
ALREADY_CHECKED_IN = _("%(name)s was already checked in.")
CHECKED_IN = _("%(name)s is checked in.")
NOTHING_TO_TURN = _(
    "Nothing to do: every checked-in attendee who agreed to be contacted is a contact already."
)
EVENT_NOT_STARTED = _("Attendees can be turned into contacts once the event has started.")
EDITED_FIELDS = (
    "title", "kind", "organiser_region", "organiser_municipality", "country", "city", "venue",
    "online_link", "starts_at", "ends_at", "language", "capacity", "description", "published",
)  # fmt: skip
ERASED = "—"


def event_values(event: Event) -> dict[str, Any]:
    """What the event form edits, for its version (`common.versions`)."""
    return {name: getattr(event, f"{name}_id", getattr(event, name)) for name in EDITED_FIELDS}


def event_version(event: Event) -> str:
    return version_token(event_values(event))


@transaction.atomic
def event_save(*, event: Event, actor: User, version: str | None = None) -> Event:
    """Create an event, or save a change to one unless it changed since `version`."""
    if event.pk is None:
        event.created_by = actor
    else:
        locked = Event.objects.select_for_update().get(pk=event.pk)
        version_check(
            version=version,
            values=event_values(locked),
            labels={name: _field_label(name) for name in EDITED_FIELDS},
        )
    event.full_clean()
    event.save()
    return event


def _field_label(name: str) -> Any:
    return getattr(Event._meta.get_field(name), "verbose_name", name)


def token_digest(token: str) -> str:
    """A keyed hash of the registration form's signed one-time token."""
    return salted_hmac("events.registration.once", token).hexdigest()


@transaction.atomic
def attendee_register(
    *, event: Event, data: dict[str, Any], token: str, language: str
) -> Attendee | None:
    """Store one registration and its confirmation mail; None when this form instance was
    stored already (a double click) or the address is registered already. Refuses
    (DomainError) when the places run out: the event row is locked, so two last-minute
    registrations cannot both take the last place."""
    locked = Event.objects.select_for_update().get(pk=event.pk)
    if not locked.published or locked.ends_at < timezone.now():
        raise DomainError(REGISTRATION_CLOSED)
    left = locked.capacity - locked.places_taken()
    if left <= 0:
        raise DomainError(EVENT_FULL)
    if data["party_size"] > left:
        raise DomainError(NOT_ENOUGH_PLACES % {"left": left})
    registered = locked.attendees.filter(
        email__iexact=data["email"], status=Attendee.Status.REGISTERED
    )
    if registered.exists():  # one registration per address: the same page, no second mail
        return None
    now = timezone.now()
    attendee = Attendee(
        event=locked,
        **{key: data[key] for key in ("first_name", "last_name", "email", "phone", "country")},
        party_size=data["party_size"],
        language=language,
        contact_consent_at=now if data.get("contact_consent") else None,
        consent_version=settings.CONSENT_TEXT_VERSION if data.get("contact_consent") else "",
        token_digest=token_digest(token),
        registered_at=now,
    )
    attendee.full_clean(exclude=["token_digest"])
    try:
        with transaction.atomic():
            attendee.save()
    except IntegrityError:
        return None
    emails.confirmation_enqueue(attendee=attendee)
    return attendee


@transaction.atomic
def attendee_check_in(*, attendee: Attendee, actor: User) -> str:
    """Mark the attendee as present (once); the message for the coordinator."""
    locked = Attendee.objects.select_for_update().get(pk=attendee.pk)
    if locked.checked_in_at is not None:
        return str(ALREADY_CHECKED_IN % {"name": locked.full_name})
    locked.checked_in_at = timezone.now()
    locked.save(update_fields=["checked_in_at"])
    return str(CHECKED_IN % {"name": locked.full_name})


def _event_note(event: Event) -> str:
    return f"{event.title}, {date_text(timezone.localdate(event.starts_at))}, {event.place}"


def _to_new_case(*, attendee: Attendee, event: Event, actor: User, now: datetime.datetime) -> None:
    """A new person: returnee (consent from the registration), case in the organiser
    region's queue with source "event", the event on its timeline."""
    returnee = returnee_build(
        data={**_person(attendee), "town": "", "preferred_language": attendee.language},
        created_at=now,
        consent_given_at=attendee.contact_consent_at,
        consent_version=attendee.consent_version,
    )
    returnee.full_clean(validate_unique=False, validate_constraints=False)
    returnee.save()
    case = case_create(
        case=Case(
            returnee=returnee,
            planning_region=event.organiser_region,
            source=Case.Source.EVENT,
            timeframe=Case.Timeframe.NOT_SURE,
            created_at=now,
        ),
        actor=actor,
        note=event.title[:200],
    )
    _interaction_add(case=case, event=event, attendee=attendee, actor=actor)
    attendee.returnee, attendee.case = returnee, case


def _person(attendee: Attendee) -> dict[str, Any]:
    return {
        "first_name": attendee.first_name,
        "last_name": attendee.last_name,
        "email": attendee.email,
        "phone": attendee.phone,
        "country": attendee.country,
    }


def _interaction_add(*, case: Case, event: Event, attendee: Attendee, actor: User) -> None:
    people = ngettext("%(count)s person", "%(count)s people", attendee.party_size) % {
        "count": attendee.party_size
    }
    interaction = Interaction(
        case=case,
        kind=Interaction.Kind.EVENT,
        occurred_on=timezone.localdate(event.starts_at),
        summary=f"{_event_note(event)} ({people})",
        author=actor,
    )
    interaction.full_clean()
    interaction.save()


def _to_known_person(*, attendee: Attendee, event: Event, returnee: Returnee, actor: User) -> None:
    """A known address: the event joins the person's open case (flagged for its
    coordinator); without an open case it becomes a contact to check, as a known address
    on the contact form does (nothing written on the person until a coordinator checks)."""
    case = returnee.cases.open().select_for_update().order_by("-created_at").first()
    attendee.returnee = returnee
    if case is not None:
        _interaction_add(case=case, event=event, attendee=attendee, actor=actor)
        case.needs_attention = True
        case.save(update_fields=["needs_attention", "updated_at"])
        attendee.case = case
        return
    data = {
        **_person(attendee), "town": "", "preferred_language": attendee.language,
        "planning_region": event.organiser_region, "municipality": None, "needs": [],
        "timeframe": Case.Timeframe.NOT_SURE, "adults": attendee.party_size,
        "children_ages": [], "message": _event_note(event),
        "sharing_consent": False,
    }  # fmt: skip
    ContactSubmission.objects.create(
        token_digest=salted_hmac("events.contact", str(attendee.pk)).hexdigest(),
        status=ContactSubmission.Status.TO_CHECK,
        data=contact_data_dump(data),
        planning_region=event.organiser_region,
        existing_returnee=returnee,
    )


@transaction.atomic
def event_contacts_make(*, event: Event, actor: User) -> str:
    """The one step after the event: each checked-in attendee who agreed to be contacted
    becomes a case (or joins the known person's); a second run creates nothing more."""
    locked = Event.objects.select_for_update().get(pk=event.pk)
    if locked.starts_at > timezone.now():
        raise DomainError(EVENT_NOT_STARTED)
    attendees = list(
        locked.attendees.select_for_update()
        .filter(
            status=Attendee.Status.REGISTERED,
            checked_in_at__isnull=False,
            contact_consent_at__isnull=False,
            contact_made_at__isnull=True,
        )
        .order_by("pk")
    )
    if not attendees:
        return str(NOTHING_TO_TURN)
    now = timezone.now()
    known = {r.email: r for r in Returnee.objects.filter(email__in=[a.email for a in attendees])}
    new = 0
    for attendee in attendees:
        returnee = known.get(attendee.email) if attendee.email else None
        if returnee is None:
            _to_new_case(attendee=attendee, event=locked, actor=actor, now=now)
            if attendee.email and attendee.returnee is not None:
                known[attendee.email] = attendee.returnee  # the same address twice: one person
            new += 1
        else:
            _to_known_person(attendee=attendee, event=locked, returnee=returnee, actor=actor)
        attendee.contact_made_at = now
        attendee.save(update_fields=["returnee", "case", "contact_made_at"])
    locked.contacts_made_at = now
    locked.save(update_fields=["contacts_made_at", "updated_at"])
    return ngettext(
        "%(count)s attendee turned into contacts: %(new)s new cases, %(known)s matched to "
        "people already registered.",
        "%(count)s attendees turned into contacts: %(new)s new cases, %(known)s matched to "
        "people already registered.",
        len(attendees),
    ) % {"count": len(attendees), "new": new, "known": len(attendees) - new}


def event_reminders_send(*, now: datetime.datetime | None = None) -> str:
    """The daily job: a reminder to everyone registered for an event that starts tomorrow
    (local date), once each. Returns counts only."""
    now = now or timezone.now()
    tomorrow = timezone.localdate(now) + datetime.timedelta(days=1)
    start = start_of_day(tomorrow)
    end = start + datetime.timedelta(days=1)
    sent = 0
    pending = Attendee.objects.filter(
        event__published=True,
        event__starts_at__gte=start,
        event__starts_at__lt=end,
        status=Attendee.Status.REGISTERED,
        reminder_sent_at__isnull=True,
    ).exclude(email="")
    for attendee_id in pending.values_list("pk", flat=True):
        with transaction.atomic():
            attendee = (
                Attendee.objects.select_for_update()
                .select_related("event")
                .filter(pk=attendee_id, reminder_sent_at__isnull=True)
                .first()
            )
            if attendee is None:
                continue
            emails.reminder_enqueue(attendee=attendee)
            attendee.reminder_sent_at = now
            attendee.save(update_fields=["reminder_sent_at"])
            sent += 1
    return f"reminders={sent}"


def event_attendees_prune(*, now: datetime.datetime | None = None) -> str:
    """The daily job: registrations for events that ended more than
    EVENT_ATTENDEE_RETENTION_DAYS ago keep only the number of people (and the case they
    became, which the case's own retention covers). Returns a count only."""
    cutoff = (now or timezone.now()) - datetime.timedelta(
        days=settings.EVENT_ATTENDEE_RETENTION_DAYS
    )
    pruned = (
        Attendee.objects.filter(event__ends_at__lt=cutoff)
        .exclude(first_name=ERASED, email="", phone="")
        .update(first_name=ERASED, last_name=ERASED, email="", phone="")
    )
    return f"attendees_pruned={pruned}"


def attendees_forget_person(
    sender: Any, returnee: Returnee, identifiers: tuple[str, ...], **kwargs: Any
) -> None:
    """Receiver of `privacy.signals.returnee_erased`: the erased person's registrations
    (linked to them, or under their e-mail address) keep only the count of people."""
    addresses = [value.lower() for value in identifiers if "@" in value]
    Attendee.objects.filter(Q(returnee=returnee) | Q(email__in=addresses)).update(
        first_name=ERASED, last_name=ERASED, email="", phone=""
    )
