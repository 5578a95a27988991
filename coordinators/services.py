"""Writes on cases. Every status change goes through `case_transition`."""

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from outbox.services import email_enqueue

from .models import (
    ALLOWED_TRANSITIONS,
    Case,
    CaseEvent,
    HouseholdMember,
    Interaction,
    MunicipalityRequest,
    ReferenceSequence,
    Returnee,
    User,
)

NATIONAL_QUEUE_PREFIX = "LV"

TRANSITION_NOT_ALLOWED = _("A case cannot move from “%(from)s” to “%(to)s”.")
CLOSED_REASON_REQUIRED = _("Choose why the case is closed.")
STALE_CASE = _(
    "The case changed to “%(current)s” while you were looking at it. Check the case and try again."
)
NOT_A_COORDINATOR = _("Only a regional coordinator can be assigned to a case.")
COORDINATOR_OUTSIDE_REGION = _("The coordinator works in another planning region.")


class CaseError(Exception):
    """A case operation the rules refuse; the message is safe to show to the user."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


def reference_allocate(*, prefix, year, count=1):
    """Hand out `count` consecutive case numbers for prefix and year, safe under concurrency."""
    with transaction.atomic():
        sequence, _created = ReferenceSequence.objects.select_for_update().get_or_create(
            prefix=prefix, year=year
        )
        ReferenceSequence.objects.filter(pk=sequence.pk).update(
            last_number=F("last_number") + count
        )
        sequence.refresh_from_db(fields=["last_number"])
    first = sequence.last_number - count + 1
    return [f"{prefix}-{year}-{number:05d}" for number in range(first, sequence.last_number + 1)]


def reference_prefix(planning_region):
    return planning_region.code if planning_region else NATIONAL_QUEUE_PREFIX


@transaction.atomic
def case_create(*, case, needs=(), actor=None, note=""):
    """Save a new, unsaved case with its reference number and the "created" event."""
    created_at = case.created_at or timezone.now()
    case.created_at = case.status_changed_at = created_at
    (case.reference,) = reference_allocate(
        prefix=reference_prefix(case.planning_region), year=timezone.localtime(created_at).year
    )
    case.full_clean()
    case.save()
    if needs:
        case.needs.set(needs)
    CaseEvent.objects.create(
        case=case,
        kind=CaseEvent.Kind.CREATED,
        to_value=case.status,
        note=note,
        actor=actor,
        created_at=created_at,
    )
    return case


@transaction.atomic
def case_transition(*, case, to_status, actor, note="", closed_reason="", expected_status=None):
    """Move a case along the pipeline, or refuse with a CaseError.

    `expected_status` is the status the user saw; if the case moved meanwhile, nothing is
    overwritten. Returns the CaseEvent written, or None when the case is already there.
    """
    locked = Case.objects.select_for_update().get(pk=case.pk)
    if expected_status is not None and locked.status != expected_status:
        raise CaseError(STALE_CASE % {"current": locked.get_status_display()})
    if locked.status == to_status:
        return None
    if to_status not in ALLOWED_TRANSITIONS[locked.status]:
        raise CaseError(
            TRANSITION_NOT_ALLOWED
            % {
                "from": locked.get_status_display(),
                "to": Case.Status(to_status).label if to_status in Case.Status else to_status,
            }
        )
    if to_status == Case.Status.CLOSED and closed_reason not in Case.ClosedReason.values:
        raise CaseError(CLOSED_REASON_REQUIRED)
    from_status = locked.status
    case.status = to_status
    case.closed_reason = closed_reason if to_status == Case.Status.CLOSED else ""
    case.status_changed_at = timezone.now()
    case.save(update_fields=["status", "closed_reason", "status_changed_at", "updated_at"])
    return CaseEvent.objects.create(
        case=case,
        kind=CaseEvent.Kind.STATUS_CHANGED,
        from_value=from_status,
        to_value=to_status,
        note=note,
        actor=actor,
        created_at=case.status_changed_at,
    )


@transaction.atomic
def case_assign(*, case, coordinator, actor, note=""):
    """Give the case to a coordinator (or to nobody), recording who did it."""
    if coordinator is not None:
        if not coordinator.is_regional_coordinator:
            raise CaseError(NOT_A_COORDINATOR)
        if case.planning_region_id and coordinator.planning_region_id != case.planning_region_id:
            raise CaseError(COORDINATOR_OUTSIDE_REGION)
    if case.coordinator_id == (coordinator.pk if coordinator else None):
        return None
    previous = case.coordinator
    case.coordinator = coordinator
    fields = ["coordinator", "updated_at"]
    if coordinator is not None and case.planning_region_id is None:
        # Taking a case from the national queue moves it into the coordinator's region.
        case.planning_region_id = coordinator.planning_region_id
        fields.append("planning_region")
    case.save(update_fields=fields)
    return CaseEvent.objects.create(
        case=case,
        kind=CaseEvent.Kind.ASSIGNED,
        from_value=previous.get_username() if previous else "",
        to_value=coordinator.get_username() if coordinator else "",
        note=note,
        actor=actor,
    )


# --- The coordinators' workspace: interactions, needs, municipality requests, bulk actions.

INTERACTION_IN_FUTURE = _(
    "A contact cannot be dated in the future. To plan the next contact, set the follow-up date."
)
FOLLOW_UP_BEFORE_INTERACTION = _("The next follow-up cannot be before the contact's date.")
REQUEST_NOT_OPEN = _("This request has already been answered or withdrawn.")
MUNICIPALITY_OUTSIDE_CASE_REGION = _(
    "The municipality is not in the case's planning region; choose one of its municipalities."
)
RETURNEE_EMAIL_TAKEN = _(
    "A person with this e-mail address is already registered. Search for them in the case list."
)


def interaction_dates_check(*, occurred_on, follow_up_on, today=None):
    """Errors, by field name, for the dates of a contact (empty when they are fine)."""
    today = today or timezone.localdate()
    errors = {}
    if occurred_on and occurred_on > today:
        errors["occurred_on"] = INTERACTION_IN_FUTURE
    if occurred_on and follow_up_on and follow_up_on < occurred_on:
        errors["follow_up_on"] = FOLLOW_UP_BEFORE_INTERACTION
    return errors


@transaction.atomic
def interaction_log(*, case, kind, occurred_on, summary, follow_up_on=None, author):
    """Record a contact with the person and set the case's next follow-up date from it.

    Logging a contact settles the previous follow-up, so an empty follow-up clears it.
    """
    errors = interaction_dates_check(occurred_on=occurred_on, follow_up_on=follow_up_on)
    if errors:
        raise CaseError(next(iter(errors.values())))
    interaction = Interaction(
        case=case,
        kind=kind,
        occurred_on=occurred_on,
        summary=summary,
        follow_up_on=follow_up_on,
        author=author,
    )
    interaction.full_clean()
    interaction.save()
    case.next_follow_up = follow_up_on
    case.save(update_fields=["next_follow_up", "updated_at"])
    return interaction


@transaction.atomic
def case_needs_update(*, case, needs):
    """Replace the needs recorded for a case."""
    case.needs.set(needs)
    case.save(update_fields=["updated_at"])


@transaction.atomic
def case_attention_clear(*, case):
    """The coordinator has seen the person's new message."""
    if case.needs_attention:
        case.needs_attention = False
        case.save(update_fields=["needs_attention", "updated_at"])


@transaction.atomic
def municipality_request_create(
    *, case, municipality, need, question, share_contact_details=False, actor
):
    """Ask a municipality about one need of a case; its specialists are told by e-mail
    (the mail names the case reference only, no personal data)."""
    if case.planning_region_id and municipality.planning_region_id != case.planning_region_id:
        raise CaseError(MUNICIPALITY_OUTSIDE_CASE_REGION)
    request = MunicipalityRequest(
        case=case,
        municipality=municipality,
        need=need,
        question=question,
        share_contact_details=share_contact_details,
        created_by=actor,
    )
    request.full_clean()
    request.save()
    recipients = set(
        User.objects.filter(
            role=User.Role.MUNICIPAL_SPECIALIST, municipality=municipality, is_active=True
        )
        .exclude(email="")
        .values_list("email", flat=True)
    ) or ({municipality.contact_email} if municipality.contact_email else set())
    for address in sorted(recipients):
        email_enqueue(
            to=address,
            subject=gettext("Remigration: a question about case %(reference)s")
            % {"reference": case.reference},
            body=gettext(
                "The regional remigration coordinator has asked %(municipality)s a question "
                "about %(need)s for case %(reference)s.\n\n"
                "Please answer in the remigration portal: %(path)s"
            )
            % {
                "municipality": municipality.name,
                "need": need.label,
                "reference": case.reference,
                "path": reverse("coordinators:request_detail", args=[request.pk]),
            },
            purpose="municipality_request",
        )
    return request


@transaction.atomic
def municipality_request_answer(*, request, answer, actor):
    """Record a municipality's answer; it shows on the case and the coordinator is told."""
    locked = MunicipalityRequest.objects.select_for_update().get(pk=request.pk)
    if locked.status != MunicipalityRequest.Status.OPEN:
        raise CaseError(REQUEST_NOT_OPEN)
    request.answer = answer
    request.status = MunicipalityRequest.Status.ANSWERED
    request.answered_by = actor
    request.answered_at = timezone.now()
    request.full_clean()
    request.save(update_fields=["answer", "status", "answered_by", "answered_at"])
    case = request.case
    coordinator = case.coordinator or request.created_by
    if coordinator is not None and coordinator.email:
        email_enqueue(
            to=coordinator.email,
            subject=gettext("%(municipality)s answered about case %(reference)s")
            % {"municipality": request.municipality.name, "reference": case.reference},
            body=gettext("The answer is on the case page: %(path)s")
            % {"path": reverse("coordinators:case_detail", args=[case.reference])},
            purpose="municipality_answer",
            case=case,
        )
    return request


@transaction.atomic
def case_create_by_hand(*, returnee, case, needs=(), household=(), actor, assign_to_actor=False):
    """Register a contact that came by phone, e-mail or at an event: the person and the case.

    `returnee` and `case` are unsaved instances; `household` is (relation, birth_year) pairs.
    """
    returnee.email = returnee.email.strip().lower()
    if returnee.email and Returnee.objects.filter(email=returnee.email).exists():
        raise CaseError(RETURNEE_EMAIL_TAKEN)
    returnee.full_clean()
    returnee.save()
    HouseholdMember.objects.bulk_create(
        HouseholdMember(returnee=returnee, relation=relation, birth_year=birth_year)
        for relation, birth_year in household
    )
    case.returnee = returnee
    case_create(case=case, needs=needs, actor=actor)
    if assign_to_actor and actor.is_regional_coordinator:
        case_assign(case=case, coordinator=actor, actor=actor)
    return case


def case_bulk_assign(*, cases, coordinator, actor):
    """Assign several cases; returns (done, refused) with the refused references and reasons."""
    done, refused = 0, []
    for case in cases:
        try:
            case_assign(case=case, coordinator=coordinator, actor=actor)
            done += 1
        except CaseError as error:
            refused.append((case.reference, error.message))
    return done, refused


def case_bulk_transition(*, cases, to_status, actor, closed_reason="", note=""):
    """Move several cases; each is a transaction of its own, refusals are reported back."""
    done, refused = 0, []
    for case in cases:
        try:
            case_transition(
                case=case,
                to_status=to_status,
                actor=actor,
                closed_reason=closed_reason,
                note=note,
            )
            done += 1
        except CaseError as error:
            refused.append((case.reference, error.message))
    return done, refused


def followup_digest_send(*, today=None, stdout=None):
    """E-mail each coordinator the references of their cases due for a follow-up today or
    overdue. Returns (digests queued, cases listed)."""
    from .selectors import followup_due_by_coordinator

    today = today or timezone.localdate()
    digests = listed = 0
    for coordinator, cases in followup_due_by_coordinator(today=today).items():
        if not coordinator.email:
            continue
        lines = [
            f"{case.reference}  {case.next_follow_up:%d.%m.%Y}  "
            f"{reverse('coordinators:case_detail', args=[case.reference])}"
            for case in cases
        ]
        # Staff work in Latvian by default; the digest is in that language too.
        with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
            email_enqueue(
                to=coordinator.email,
                subject=gettext("Follow-ups due: %(count)d cases") % {"count": len(cases)},
                body=gettext("Cases whose follow-up is due today or overdue (%(date)s):")
                % {"date": f"{today:%d.%m.%Y}"}
                + "\n\n"
                + "\n".join(lines),
                purpose="followup_digest",
            )
        digests += 1
        listed += len(cases)
        if stdout is not None:
            stdout.write(f"{coordinator.get_username()}: {len(cases)}")
    return digests, listed
