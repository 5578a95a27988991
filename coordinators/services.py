"""Writes on cases. Every status change goes through `case_transition`."""

from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from common.dates import date_text
from outbox.services import email_enqueue

from .models import (
    ALLOWED_TRANSITIONS,
    Case,
    CaseEvent,
    HouseholdMember,
    Interaction,
    Language,
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
        closed_reason=case.closed_reason,
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


# The public contact form ("Dod ziņu!")

CONTACT_FORM_NOTE = "Dod ziņu!"
# We have no Russian texts yet: a person who prefers Russian gets the English e-mail.
MAIL_LANGUAGES = {Language.LATVIAN: "lv", Language.ENGLISH: "en", Language.RUSSIAN: "en"}
CONFIRMATION_SUBJECT = _("We have received your message – %(reference)s")
NEW_CASE_SUBJECT = _("New contact form case %(reference)s")
NEW_MESSAGE_SUBJECT = _("New message on case %(reference)s")


@dataclass(frozen=True)
class ContactSubmission:
    """What a submission did: the case it went to, and whether that case is new."""

    case: Case
    is_new_case: bool


@transaction.atomic
def case_create_from_contact_form(*, data, now=None):
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
    if is_new_case:
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
    _contact_emails_enqueue(case=case, data=data, is_new_case=is_new_case)
    return ContactSubmission(case=case, is_new_case=is_new_case)


# The person's own details, as both the public form and "new case by hand" collect them.
RETURNEE_FIELDS = (
    "first_name",
    "last_name",
    "email",
    "phone",
    "country",
    "town",
    "preferred_language",
)


def returnee_build(*, data, **extra):
    """An unsaved returnee from a form's cleaned data (and any other fields in `extra`)."""
    return Returnee(**{name: data[name] for name in RETURNEE_FIELDS}, **extra)


def _returnee_for_contact(*, data, now):
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


def _household_create(*, returnee, data, year):
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


def _contact_summary(*, data, with_details):
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
        details = render_to_string(
            "coordinators/contact/email/submission_details.txt", context
        ).strip()
    return f"{message}\n\n{details}" if message else details


def contact_notification_recipients(*, case):
    """Who hears about a contact form submission.

    The region's active coordinators (and the region's shared mailbox); for the national
    queue every active regional coordinator, since any of them may take the case. When no
    coordinator has an address, the national administrators, so nothing goes unseen.
    """
    coordinators = User.objects.filter(is_active=True, role=User.Role.REGIONAL_COORDINATOR).exclude(
        email=""
    )
    if case.planning_region_id:
        coordinators = coordinators.filter(planning_region_id=case.planning_region_id)
    addresses = list(coordinators.order_by("email").values_list("email", flat=True))
    if case.planning_region_id and case.planning_region.coordinator_email:
        addresses.append(case.planning_region.coordinator_email)
    if not addresses:
        addresses = list(
            User.objects.filter(is_active=True, role=User.Role.NATIONAL_ADMIN)
            .exclude(email="")
            .order_by("email")
            .values_list("email", flat=True)
        )
    return list(dict.fromkeys(address.lower() for address in addresses))


def _contact_emails_enqueue(*, case, data, is_new_case):
    """The confirmation to the person (in their language) and the coordinators' notice
    (in Latvian, with no personal data beyond the reference: they read the rest in the portal).
    """
    context = {"case": case, "data": data, "is_new_case": is_new_case}
    with translation.override(MAIL_LANGUAGES[data["preferred_language"]]):
        email_enqueue(
            to=data["email"],
            subject=str(CONFIRMATION_SUBJECT % {"reference": case.reference}),
            body=render_to_string("coordinators/contact/email/confirmation.txt", context),
            purpose="contact_confirmation",
            case=case,
        )
    with translation.override(settings.LANGUAGE_CODE):
        subject = NEW_CASE_SUBJECT if is_new_case else NEW_MESSAGE_SUBJECT
        body = render_to_string("coordinators/contact/email/notification.txt", context)
        for address in contact_notification_recipients(case=case):
            email_enqueue(
                to=address,
                subject=str(subject % {"reference": case.reference}),
                body=body,
                purpose="contact_notification",
                case=case,
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
    # Staff mail is in Latvian, whatever language the coordinator's page was in.
    with translation.override(settings.LANGUAGE_CODE):
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
        with translation.override(settings.LANGUAGE_CODE):  # staff mail is in Latvian
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
            f"{case.reference}  {date_text(case.next_follow_up)}  "
            f"{reverse('coordinators:case_detail', args=[case.reference])}"
            for case in cases
        ]
        # Staff work in Latvian by default; the digest is in that language too.
        with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
            email_enqueue(
                to=coordinator.email,
                subject=gettext("Follow-ups due: %(count)d cases") % {"count": len(cases)},
                body=gettext("Cases whose follow-up is due today or overdue (%(date)s):")
                % {"date": date_text(today)}
                + "\n\n"
                + "\n".join(lines),
                purpose="followup_digest",
            )
        digests += 1
        listed += len(cases)
        if stdout is not None:
            stdout.write(f"{coordinator.get_username()}: {len(cases)}")
    return digests, listed
