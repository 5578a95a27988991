"""The copies an erasure must find besides the person's own rows: Django's admin log, the
django-auditlog history, the outbox. Used by `privacy.services.returnee_erase` only.

Rows are found by the objects they are about (the person's returnee, household, cases and
everything hanging from the cases), and, for the full name, e-mail address and phone number,
by their text too (an entry about an object that no longer exists). A first or last name
alone is never searched for outside the person's own rows: another person may share it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from auditlog.models import LogEntry as HistoryEntry
from django.contrib.admin.models import LogEntry as AdminLogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q, TextField
from django.db.models.functions import Cast

from coordinators.models import (
    Case,
    CaseEvent,
    HouseholdMember,
    Interaction,
    MunicipalityRequest,
    Returnee,
)
from offers.models import Offer, OfferItem
from outbox.models import Attachment, Email

ERASED = "—"
BLANK = ("", "None", None)  # how django-auditlog writes an empty value


@dataclass(frozen=True)
class Identifiers:
    """What identified the person, as it was before the erasure: what copies are searched for."""

    first_name: str
    last_name: str
    email: str
    phone: str
    # Names, addresses and numbers the person had before a correction (read from the field
    # history of their record): a mail or log entry written then names them that way.
    past: tuple[str, ...] = ()

    @classmethod
    def of(cls, returnee: Returnee) -> Identifiers:
        current = cls(returnee.first_name, returnee.last_name, returnee.email, returnee.phone)
        return replace(current, past=_past_values(returnee, current))

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def all(self) -> tuple[str, ...]:
        """Every identifier (the signal's `identifiers`), longest first, without blanks."""
        values = {self.full_name, self.first_name, self.last_name, self.email, self.phone}
        values |= set(self.past)
        return tuple(sorted((value for value in values if value), key=len, reverse=True))

    def unique(self) -> tuple[str, ...]:
        """The ones nobody else plausibly shares: full name, e-mail, phone (now and before)."""
        values = (self.full_name, self.email, self.phone, *self.past)
        return tuple(dict.fromkeys(value for value in values if value))


def _past_values(returnee: Returnee, current: Identifiers) -> tuple[str, ...]:
    """Full names, e-mail addresses and phone numbers of the person's record before each
    correction, from django-auditlog's changes ({"field": [before, after]})."""
    before: dict[str, set[str]] = {
        "first_name": {current.first_name},
        "last_name": {current.last_name},
        "email": set(),
        "phone": set(),
    }
    entries = HistoryEntry.objects.get_for_object(returnee).values_list("changes", flat=True)
    for changes in entries:
        for field, pair in (changes if isinstance(changes, dict) else {}).items():
            if field in before and isinstance(pair, list) and pair and pair[0] not in BLANK:
                before[field].add(str(pair[0]))
    names = {
        f"{first} {last}".strip() for first in before["first_name"] for last in before["last_name"]
    }
    past = (names | before["email"] | before["phone"]) - {
        current.full_name,
        current.email,
        current.phone,
    }
    return tuple(sorted(past))


def _texts(values: Iterable[str]) -> list[str]:
    """Each value, and as it reads inside JSON text written with ASCII escapes (the admin
    log's change messages: "Zvaigzn\\u012bte")."""
    forms: list[str] = []
    for value in values:
        forms += dict.fromkeys([value, json.dumps(value)[1:-1]])
    return forms


def _mentions(fields: Sequence[str], values: Iterable[str]) -> Q:
    condition = Q(pk__in=[])
    for value in _texts(values):
        for field in fields:
            condition |= Q(**{f"{field}__contains": value})
    return condition


def person_objects(returnee: Returnee) -> dict[type[models.Model], list[str]]:
    """The primary keys (as text, as the logs store them) of every row about the person."""
    cases = Case.objects.filter(returnee=returnee)
    emails = Email.objects.filter(case__in=cases)
    querysets: dict[type[models.Model], models.QuerySet] = {
        Returnee: Returnee.objects.filter(pk=returnee.pk),
        HouseholdMember: HouseholdMember.objects.filter(returnee=returnee),
        Case: cases,
        CaseEvent: CaseEvent.objects.filter(case__in=cases),
        Interaction: Interaction.objects.filter(case__in=cases),
        MunicipalityRequest: MunicipalityRequest.objects.filter(case__in=cases),
        Offer: Offer.objects.filter(case__in=cases),
        OfferItem: OfferItem.objects.filter(offer__case__in=cases),
        Email: emails,
        Attachment: Attachment.objects.filter(email__in=emails),
    }
    return {
        model: [str(pk) for pk in queryset.values_list("pk", flat=True)]
        for model, queryset in querysets.items()
    }


def _about(objects: dict[type[models.Model], list[str]], id_field: str) -> Q:
    types = ContentType.objects.get_for_models(*objects)
    condition = Q(pk__in=[])
    for model, pks in objects.items():
        if pks:
            condition |= Q(content_type=types[model], **{f"{id_field}__in": pks})
    return condition


def admin_log_scrub(
    *, objects: dict[type[models.Model], list[str]], identifiers: Identifiers
) -> int:
    """Django's admin log ("Recent actions"): the rows stay, who changed which object when
    (staff accountability), but the object's name and the names of related objects in the
    change message go. Returns the number of rows scrubbed."""
    entries = AdminLogEntry.objects.filter(
        _about(objects, "object_id")
        | _mentions(["object_repr", "change_message"], identifiers.unique())
    )
    count = 0
    for entry in entries.only("pk", "change_message"):
        AdminLogEntry.objects.filter(pk=entry.pk).update(
            object_repr=ERASED, change_message=_change_message_scrubbed(entry.change_message)
        )
        count += 1
    return count


def _change_message_scrubbed(message: str) -> str:
    """Keep the changed fields' names (a list Django writes as JSON), drop the names of
    added, changed or deleted related objects; a message of another form goes whole."""
    try:
        parts = json.loads(message or "[]")
    except ValueError:
        return ""
    if not isinstance(parts, list):
        return ""
    for part in parts:
        for detail in part.values() if isinstance(part, dict) else ():
            if isinstance(detail, dict) and "object" in detail:
                detail["object"] = ERASED
    return json.dumps(parts)


def history_scrub(*, objects: dict[type[models.Model], list[str]], identifiers: Identifiers) -> int:
    """django-auditlog's before/after copies: every entry of the person's own returnee,
    household and logged contacts (a corrected summary keeps its old text there), and any
    other entry naming the person, is emptied (who and when stay)."""
    own: dict[type[models.Model], list[str]] = {
        model: objects[model] for model in (Returnee, HouseholdMember, Interaction)
    }
    text = HistoryEntry.objects.annotate(
        changes_as_text=Cast("changes", TextField()),
        additional_as_text=Cast("additional_data", TextField()),
        serialized_as_text=Cast("serialized_data", TextField()),
    )
    named = text.filter(
        _mentions(
            [
                "object_repr",
                "changes_text",
                "changes_as_text",
                "additional_as_text",
                "serialized_as_text",
            ],
            identifiers.unique(),
        )
    ).values("pk")
    return HistoryEntry.objects.filter(Q(pk__in=named) | _about(own, "object_pk")).update(
        object_repr=ERASED, changes=None, changes_text="", serialized_data=None,
        additional_data=None,
    )  # fmt: skip


def outbox_scrub(*, cases: models.QuerySet[Case], identifiers: Identifiers) -> None:
    """The person's mail: unsent mail is deleted (it must not go out any more, and a PDF
    still being made for it is then not attached); sent mail keeps its skeleton (purpose,
    status, dates) without address or text. Mail tied to no case is found by the person's
    address, or by their full name, e-mail or phone in its text."""
    emails = Email.objects.filter(
        Q(case__in=cases)
        | (Q(to__iexact=identifiers.email) if identifiers.email else Q(pk__in=[]))
        | Q(case__isnull=True) & _mentions(["subject", "body", "html_body"], identifiers.unique())
    )
    Attachment.objects.filter(email__in=emails).delete()
    emails.exclude(status=Email.Status.SENT).delete()
    emails.update(to="", subject=ERASED, body="", html_body="", last_error="", prepare_kwargs={})


def own_texts_scrub(*, cases: models.QuerySet[Case], identifiers: Identifiers) -> None:
    """Short texts of the person's rows that are kept unless they name the person (an
    offer section's title); here the first or last name alone is enough."""
    items = OfferItem.objects.filter(offer__case__in=cases)
    items.filter(_mentions(["title"], identifiers.all())).update(title=ERASED)
