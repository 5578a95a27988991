"""The mails of the domain core: to municipalities, and to coordinators. Each mail is a
function here and a template in `templates/coordinators/email/`; staff mail is in Latvian,
whatever language the sender's page was in, and names a case by its reference only. Links
are absolute, on PORTAL_URL (`common.urls.absolute_url`): a mail client has no site to
resolve a bare path against."""

import datetime

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from common.dates import date_text
from common.urls import absolute_url
from outbox.models import Email
from outbox.services import email_enqueue

from .models import Case, MunicipalityRequest, User

REQUEST_SUBJECT = _("Remigration: a question about case %(reference)s")
REMINDER_SUBJECT = _("Reminder: an answer about case %(reference)s was wanted by %(date)s")
ANSWER_SUBJECT = _("%(municipality)s answered about case %(reference)s")
DIGEST_SUBJECT = ngettext_lazy(
    "Follow-ups due: %(count)d case", "Follow-ups due: %(count)d cases", "count"
)


def _specialist_addresses(request: MunicipalityRequest) -> list[str]:
    """The municipality's active specialists, or its shared address."""
    municipality = request.municipality
    recipients = set(
        User.objects.filter(
            role=User.Role.MUNICIPAL_SPECIALIST, municipality=municipality, is_active=True
        )
        .exclude(email="")
        .values_list("email", flat=True)
    ) or ({municipality.contact_email} if municipality.contact_email else set())
    return sorted(recipients)


def municipality_request_enqueue(*, request: MunicipalityRequest, reminder: bool = False) -> None:
    """Tell the municipality's specialists (or its shared address) about a new question, or
    (`reminder`) that its answer-by date has passed."""
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "request": request,
            "due": date_text(request.due_on) if request.due_on else "",
            "url": absolute_url(reverse("workspace:request_detail", args=[request.pk])),
        }
        if reminder:
            subject = str(
                REMINDER_SUBJECT % {"reference": request.case.reference, "date": context["due"]}
            )
            template = "coordinators/email/municipality_request_reminder.txt"
            purpose = Email.Purpose.REQUEST_REMINDER
        else:
            subject = str(REQUEST_SUBJECT % {"reference": request.case.reference})
            template = "coordinators/email/municipality_request.txt"
            purpose = Email.Purpose.MUNICIPALITY_REQUEST
        body = render_to_string(template, context)
        for address in _specialist_addresses(request):
            email_enqueue(to=address, subject=subject, body=body, purpose=purpose)


def municipality_answer_enqueue(*, request: MunicipalityRequest) -> None:
    """Tell the case's coordinator (or whoever asked) that the municipality has answered."""
    case = request.case
    coordinator = case.coordinator or request.created_by
    if coordinator is None or not coordinator.email:
        return
    with translation.override(settings.LANGUAGE_CODE):
        context = {"url": absolute_url(reverse("workspace:case_detail", args=[case.reference]))}
        email_enqueue(
            to=coordinator.email,
            subject=str(
                ANSWER_SUBJECT
                % {"municipality": request.municipality.name, "reference": case.reference}
            ),
            body=render_to_string("coordinators/email/municipality_answer.txt", context),
            purpose=Email.Purpose.MUNICIPALITY_ANSWER,
            case=case,
        )


def followup_digest_enqueue(*, coordinator: User, cases: list[Case], today: datetime.date) -> None:
    """One coordinator's cases due for a follow-up today or overdue, by reference."""
    with translation.override(settings.LANGUAGE_CODE):
        rows = []
        for case in cases:
            assert case.next_follow_up is not None  # the digest lists only cases with one due
            rows.append(
                {
                    "reference": case.reference,
                    "date": date_text(case.next_follow_up),
                    "url": absolute_url(reverse("workspace:case_detail", args=[case.reference])),
                }
            )
        email_enqueue(
            to=coordinator.email,
            subject=str(DIGEST_SUBJECT % {"count": len(cases)}),
            body=render_to_string(
                "coordinators/email/followup_digest.txt",
                {"rows": rows, "today": date_text(today)},
            ),
            purpose=Email.Purpose.FOLLOWUP_DIGEST,
        )
