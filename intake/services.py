"""A "Dod ziņu!" submission becomes, in one transaction, a returnee, a case (or a message on
the person's open case), the household, the message as an interaction, and the e-mails."""

import datetime
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django_countries import countries

from coordinators.models import Case, HouseholdMember, Interaction, Returnee
from coordinators.services.cases import case_create, returnee_build

from . import emails

CONTACT_FORM_NOTE = "Dod ziņu!"


@dataclass(frozen=True)
class ContactSubmission:
    """What a submission did: the case it went to, and whether that case is new."""

    case: Case
    is_new_case: bool


@transaction.atomic
def case_create_from_contact_form(
    *, data: dict[str, Any], now: datetime.datetime | None = None
) -> ContactSubmission:
    """Store one contact form submission: returnee, case (or a message on the open case),
    household, the message as an interaction, and the two e-mails, all in one transaction.

    `data` is the form's cleaned_data. A person whose e-mail already has an open case gets
    no second case: the message goes to that case, flagged for the coordinator.
    """
    now = now or timezone.now()
    returnee, is_new_returnee = _returnee_for_contact(data=data, now=now)
    case = (
        returnee.cases.open().select_for_update().order_by("-created_at").first()
        if not is_new_returnee
        else None
    )
    is_new_case = case is None
    if case is None:
        case = case_create(
            case=Case(
                returnee=returnee,
                planning_region=data["planning_region"],
                municipality=data["municipality"],
                source=Case.Source.CONTACT_FORM,
                timeframe=data["timeframe"],
                created_at=now,
            ),
            needs=data["needs"],
            note=CONTACT_FORM_NOTE,
        )
    else:
        case.needs_attention = True
        case.save(update_fields=["needs_attention", "updated_at"])
    interaction = Interaction(
        case=case,
        kind=Interaction.Kind.CONTACT_FORM,
        occurred_on=timezone.localdate(now),
        summary=_contact_summary(data=data, with_details=not is_new_returnee),
        created_at=now,
    )
    interaction.full_clean()
    interaction.save()
    emails.confirmation_enqueue(case=case, data=data, is_new_case=is_new_case)
    emails.notification_enqueue(case=case, data=data, is_new_case=is_new_case)
    return ContactSubmission(case=case, is_new_case=is_new_case)


def _returnee_for_contact(*, data: dict[str, Any], now: datetime.datetime) -> tuple[Returnee, bool]:
    """The returnee with this e-mail, or a new one with the household; (returnee, is_new)."""
    consent = {"consent_given_at": now, "consent_version": settings.CONSENT_TEXT_VERSION}
    existing = Returnee.objects.select_for_update().filter(email=data["email"]).first()
    if existing is None:
        returnee = returnee_build(data=data, created_at=now, **consent)
        returnee.full_clean(validate_unique=False, validate_constraints=False)
        try:
            # The savepoint lets a simultaneous first submission with the same address win.
            with transaction.atomic():
                returnee.save()
        except IntegrityError:
            existing = Returnee.objects.select_for_update().get(email=data["email"])
        else:
            _household_create(returnee=returnee, data=data, year=timezone.localtime(now).year)
            return returnee, True
    # Someone who knows an address must not overwrite that person's record from a public
    # form: the details they sent go into the interaction; only the new consent is kept.
    for field, value in consent.items():
        setattr(existing, field, value)
    existing.save(update_fields=[*consent, "updated_at"])
    return existing, False


def _household_create(*, returnee: Returnee, data: dict[str, Any], year: int) -> None:
    """The other adults and the children as household rows; birth year from the age given
    (it may be one year off, which is enough for school and kindergarten planning)."""
    members = [
        HouseholdMember(returnee=returnee, relation=HouseholdMember.Relation.OTHER)
        for _adult in range(data["adults"] - 1)
    ] + [
        HouseholdMember(
            returnee=returnee, relation=HouseholdMember.Relation.CHILD, birth_year=year - age
        )
        for age in data["children_ages"]
    ]
    for member in members:
        member.full_clean(exclude=["returnee"])  # saved a moment ago in this transaction
    HouseholdMember.objects.bulk_create(members)


def _contact_summary(*, data: dict[str, Any], with_details: bool) -> str:
    """The interaction text: the message, and for a known person what else they sent."""
    message = data["message"].strip()
    if not with_details:
        return message or "—"
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "data": data,
            "country": countries.name(data["country"]),
            "timeframe": Case.Timeframe(data["timeframe"]).label,
        }
        details = render_to_string("intake/email/submission_details.txt", context).strip()
    return f"{message}\n\n{details}" if message else details
