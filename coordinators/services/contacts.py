"""Contact form submissions that the coordinator checks: an address that is already known
came in through the public form. Nothing is written on the known person until a coordinator
has checked that it is them; then the message joins their open case (no second case, so the
reports count the person once) or, when all their cases are closed, opens a new one."""

import datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from common.errors import DomainError
from municipalities.models import Municipality, NeedCategory, PlanningRegion

from ..models import Case, ContactSubmission, Interaction, Returnee, User
from .cases import case_create

CONTACT_FORM_NOTE = "Dod ziņu!"
NOT_TO_CHECK = _("This contact has already been dealt with.")
LINKED_TO_OPEN_CASE = _(
    "The message is on the person's open case, marked for its coordinator's attention."
)
LINKED_NEW_CASE = _("A new case %(reference)s has been opened for the person.")
DISMISSED = _("The contact has been dismissed and what was typed deleted.")


def contact_data_dump(data: dict[str, Any]) -> dict[str, Any]:
    """The form's cleaned data as JSON: region, municipality and needs by id."""
    dumped = {
        key: value
        for key, value in data.items()
        if key not in ("planning_region", "municipality", "needs", "started", "homepage")
    }
    dumped["country"] = str(data.get("country") or "")
    region, municipality = data.get("planning_region"), data.get("municipality")
    dumped["planning_region"] = region.pk if region else None
    dumped["municipality"] = municipality.pk if municipality else None
    dumped["needs"] = sorted(need.pk for need in data.get("needs", []))
    return dumped


def contact_data_load(raw: dict[str, Any]) -> dict[str, Any]:
    """The stored JSON back as the form's cleaned data (objects for the ids): a query for
    each id given, the region with its municipality. A municipality decides its region: one
    moved to another region since the form was checked (the form keeps its reference rows
    for up to a minute) takes the contact with it, instead of a pair the case would refuse
    (the contact would then never become a case)."""
    data = dict(raw)
    region_id, municipality_id = raw["planning_region"], raw["municipality"]
    municipality = (
        Municipality.objects.select_related("planning_region").filter(pk=municipality_id).first()
        if municipality_id is not None
        else None
    )
    region: PlanningRegion | None
    if municipality is not None:
        region = municipality.planning_region
    else:
        region = (
            PlanningRegion.objects.filter(pk=region_id).first() if region_id is not None else None
        )
    data["planning_region"], data["municipality"] = region, municipality
    data["needs"] = list(NeedCategory.objects.filter(pk__in=raw["needs"]))
    return data


def contact_summary(*, data: dict[str, Any], with_details: bool) -> str:
    """The interaction text: the message, and, for a contact linked to a known person,
    everything else that was typed (it is never written over the person's record)."""
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


def contact_interaction_add(
    *, case: Case, data: dict[str, Any], with_details: bool, now: datetime.datetime
) -> Interaction:
    """The form's message as a contact-form interaction on the case."""
    interaction = Interaction(
        case=case,
        kind=Interaction.Kind.CONTACT_FORM,
        occurred_on=timezone.localdate(now),
        summary=contact_summary(data=data, with_details=with_details),
        created_at=now,
    )
    interaction.full_clean(exclude=["case"])  # saved a moment ago, in this transaction
    interaction.save()
    return interaction


def contact_case_create(
    *, returnee: Returnee, data: dict[str, Any], now: datetime.datetime, actor: User | None = None
) -> Case:
    """The case a contact form opens for `returnee`, from the form's data (region,
    municipality, timeframe, needs), created at `now` with the form's timeline note."""
    return case_create(
        case=Case(
            returnee=returnee,
            planning_region=data["planning_region"],
            municipality=data["municipality"],
            source=Case.Source.CONTACT_FORM,
            timeframe=data["timeframe"],
            created_at=now,
        ),
        needs=data["needs"],
        actor=actor,
        note=CONTACT_FORM_NOTE,
    )


def _locked_to_check(submission: ContactSubmission) -> ContactSubmission:
    locked = ContactSubmission.objects.select_for_update().get(pk=submission.pk)
    if locked.status != ContactSubmission.Status.TO_CHECK or locked.existing_returnee is None:
        raise DomainError(NOT_TO_CHECK)
    return locked


@transaction.atomic
def contact_submission_link(*, submission: ContactSubmission, actor: User) -> str:
    """The coordinator has checked that the contact is the known person: add the message to
    their open case (flagged), or open a new case when they have none. The person's record
    and consent stay as they were; what was typed goes into the interaction only."""
    locked = _locked_to_check(submission)
    returnee = locked.existing_returnee
    assert returnee is not None  # noqa: S101 - checked by _locked_to_check
    data = contact_data_load(locked.data)
    now = timezone.now()
    case = returnee.cases.open().select_for_update().order_by("-created_at").first()
    if case is not None:
        case.needs_attention = True
        case.save(update_fields=["needs_attention", "updated_at"])
        message = str(LINKED_TO_OPEN_CASE)
    else:
        case = contact_case_create(returnee=returnee, data=data, now=now, actor=actor)
        message = str(LINKED_NEW_CASE % {"reference": case.reference})
    contact_interaction_add(case=case, data=data, with_details=True, now=now)
    locked.status, locked.case, locked.data = ContactSubmission.Status.LINKED, case, {}
    locked.save(update_fields=["status", "case", "data"])
    return message


PROCESSED = (
    ContactSubmission.Status.CASE_CREATED,
    ContactSubmission.Status.LINKED,
    ContactSubmission.Status.DISMISSED,
)


def contact_submissions_prune(*, now: datetime.datetime | None = None) -> int:
    """The daily job: delete the rows of forms dealt with (case made, linked or dismissed)
    more than CONTACT_SUBMISSION_RETENTION_DAYS ago. A form still waiting for the worker or
    for a coordinator's check stays. Returns how many were deleted."""
    limit = (now or timezone.now()) - datetime.timedelta(
        days=settings.CONTACT_SUBMISSION_RETENTION_DAYS
    )
    deleted, _rows = ContactSubmission.objects.filter(
        status__in=PROCESSED, created_at__lt=limit
    ).delete()
    return deleted


@transaction.atomic
def contact_submission_dismiss(*, submission: ContactSubmission, actor: User) -> str:
    """Not the known person (or spam): delete what was typed, keep the row for the count."""
    locked = _locked_to_check(submission)
    locked.status, locked.data = ContactSubmission.Status.DISMISSED, {}
    locked.save(update_fields=["status", "data"])
    return str(DISMISSED)
