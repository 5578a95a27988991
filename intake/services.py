"""A "Dod ziņu!" submission: stored as it came by the request, turned into a case by the
worker.

The request does the same work for every address (one row, one task), so neither the page
nor its timing tells a stranger whether an address is known. The worker then creates the
returnee, the case, the household, the message and the two mails; for an address that is
already known it creates nothing on that person: the submission waits for the coordinator
to check it (`coordinators.services.contacts`), and the person gets a confirmation that
names no case.
"""

import datetime
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac

from coordinators.models import Case, ContactSubmission, HouseholdMember, Returnee
from coordinators.services.cases import returnee_build
from coordinators.services.contacts import (
    contact_case_create,
    contact_data_dump,
    contact_data_load,
    contact_interaction_add,
)
from duplicates.services import duplicates_detect

from . import emails


def token_digest(token: str) -> str:
    """A keyed hash of the form's signed one-time token (the token itself is not stored)."""
    return salted_hmac("intake.contact-form.once", token).hexdigest()


def contact_submission_receive(
    *, data: dict[str, Any], token: str, now: datetime.datetime | None = None
) -> bool:
    """Store one valid submission and hand it to the worker, in one transaction; False when
    this form instance (the same signed token: a double click, a resent page) was stored
    already."""
    from .tasks import contact_submission_process_task

    submission = ContactSubmission(
        token_digest=token_digest(token),
        data=contact_data_dump(data),
        planning_region=data.get("planning_region"),
        created_at=now or timezone.now(),
    )
    try:
        # One transaction and no savepoint: BEGIN, the two INSERTs, COMMIT (issue 16). A
        # repeated token fails the first INSERT, and the rollback then undoes nothing else.
        with transaction.atomic():
            submission.save()
            # The task row commits with the submission or not at all.
            contact_submission_process_task.enqueue(submission_id=submission.pk)
    except IntegrityError:
        if submission.pk is not None:  # not the token: the task row failed
            raise
        return False
    return True


@transaction.atomic
def contact_submission_process(*, submission_id: int) -> str:
    """In the worker: a new person becomes a case; a known address waits to be checked.
    Returns the submission's new status (unchanged when it was processed already)."""
    submission = (
        ContactSubmission.objects.select_for_update()
        .filter(pk=submission_id, status=ContactSubmission.Status.RECEIVED)
        .first()
    )
    if submission is None:
        return "gone"
    data = contact_data_load(submission.data)
    case = case_create_from_contact_form(data=data, now=submission.created_at)
    if case is None:
        submission.status = ContactSubmission.Status.TO_CHECK
        submission.existing_returnee = Returnee.objects.get(email=data["email"])
        emails.confirmation_enqueue(case=None, data=data)
        emails.check_notification_enqueue(submission=submission)
    else:
        submission.status, submission.case, submission.data = (
            ContactSubmission.Status.CASE_CREATED,
            case,
            {},
        )
    submission.save(update_fields=["status", "case", "data", "existing_returnee"])
    return str(submission.status)


@transaction.atomic(savepoint=False)  # the worker's transaction; the returnee has its own
def case_create_from_contact_form(
    *, data: dict[str, Any], now: datetime.datetime | None = None
) -> Case | None:
    """A new person from the form: returnee with consent, household, case, the message as an
    interaction, and the two e-mails. None, and nothing stored, when the address is known."""
    now = now or timezone.now()
    returnee = returnee_build(
        data=data,
        created_at=now,
        consent_given_at=now,
        consent_version=settings.CONSENT_TEXT_VERSION,
        sharing_consent_given_at=now if data.get("sharing_consent") else None,
    )
    returnee.full_clean(validate_unique=False, validate_constraints=False)
    try:
        # The savepoint lets a simultaneous first submission with the same address win.
        with transaction.atomic():
            returnee.save()
    except IntegrityError:
        return None
    _household_create(returnee=returnee, data=data, year=timezone.localtime(now).year)
    case = contact_case_create(returnee=returnee, data=data, now=now)
    contact_interaction_add(case=case, data=data, with_details=False, now=now)
    # The same person from a second address: flagged on both cases for the coordinator.
    duplicates_detect(case=case)
    emails.confirmation_enqueue(case=case, data=data)
    emails.notification_enqueue(case=case, data=data)
    return case


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
