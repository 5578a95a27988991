"""Writes after return: the worker sends each survey once, the person answers it through a
signed, expiring link to that one survey; the answers go on the case's timeline and a low
score flags the case for its coordinator."""

from __future__ import annotations

import datetime
from typing import TextIO

from django.core import signing
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from common.errors import DomainError
from coordinators.models import Case, Interaction, Returnee

from . import emails
from .models import POINTS, FollowUpSurvey
from .selectors import add_months, returned_cases, returned_on

SALT = "aftercare.survey"
LINK_DAYS = 60  # a survey link works this long after it was sent
SEND_WINDOW = datetime.timedelta(days=30)  # a point missed longer ago (an outage) is skipped
ALREADY_ANSWERED = _("This survey has already been answered. Thank you!")
TIMELINE_TEXT = _(
    "Survey %(months)s months after the return: settled in — %(settled)s; work — %(work)s; "
    "school or kindergarten place — %(school)s; would recommend — %(recommend)s. "
    "Still missing: %(missing)s"
)


def survey_token(survey: FollowUpSurvey) -> str:
    """The signed link's token: names one survey (of one case), carries its time."""
    return signing.TimestampSigner(salt=SALT).sign(str(survey.pk))


def survey_from_token(token: str) -> FollowUpSurvey | None:
    """The survey of a valid, unexpired token; None for anything else."""
    try:
        pk = signing.TimestampSigner(salt=SALT).unsign(token, max_age=LINK_DAYS * 86400)
    except signing.BadSignature:  # SignatureExpired is one too
        return None
    return FollowUpSurvey.objects.select_related("case__returnee").filter(pk=pk).first()


def followup_surveys_send(
    *, today: datetime.date | None = None, stdout: TextIO | None = None
) -> int:
    """The daily job: a survey for each 3/6/12-month point that came due in the last 30 days
    of a case still "returned", stored once (the unique constraint) and mailed with it."""
    today = today or timezone.localdate()
    earliest = add_months(today - SEND_WINDOW, -max(POINTS))
    cases = list(
        returned_cases(Case.objects.filter(status_changed_at__date__gte=earliest)).select_related(
            "returnee"
        )
    )
    sent = set(
        FollowUpSurvey.objects.filter(case__in=[case.pk for case in cases]).values_list(
            "case_id", "returned_on", "months"
        )
    )
    count = 0
    for case in cases:
        returned = returned_on(case)
        for months in POINTS:
            due_on = add_months(returned, months) if returned else None
            if due_on is None or not today - SEND_WINDOW <= due_on <= today:
                continue
            if (case.pk, returned, months) in sent or not case.returnee.email:
                continue
            with transaction.atomic():
                survey, created = FollowUpSurvey.objects.get_or_create(
                    case=case, returned_on=returned, months=months, defaults={"due_on": due_on}
                )
                if created:
                    emails.survey_enqueue(survey=survey, token=survey_token(survey))
                    count += 1
    if stdout is not None:
        stdout.write(f"surveys sent: {count}")
    return count


def _label(survey: FollowUpSurvey, field: str) -> str:
    value = getattr(survey, field)
    return str(FollowUpSurvey.Answer(value).label) if value else "—"


@transaction.atomic
def survey_answer(
    *, survey: FollowUpSurvey, settled: str, work: str, school_place: str,
    still_missing: str, recommend: int | None,
) -> FollowUpSurvey:  # fmt: skip
    """Store the answers once, put them on the case's timeline (in Latvian, as staff read
    it) and flag the case when the person is not settled or would not recommend it."""
    survey = FollowUpSurvey.objects.select_for_update().select_related("case").get(pk=survey.pk)
    if survey.answered_at is not None:
        raise DomainError(ALREADY_ANSWERED)
    survey.settled, survey.work, survey.school_place = settled, work, school_place
    survey.still_missing, survey.recommend = still_missing, recommend
    survey.answered_at = timezone.now()
    survey.full_clean()
    survey.save()
    with translation.override("lv"):
        summary = str(TIMELINE_TEXT) % {
            "months": survey.months, "settled": _label(survey, "settled"),
            "work": _label(survey, "work"), "school": _label(survey, "school_place"),
            "recommend": "—" if recommend is None else recommend,
            "missing": still_missing.strip() or "—",
        }  # fmt: skip
    # Straight to the row, not interaction_log: a survey answer must not settle or move the
    # coordinator's next follow-up date.
    Interaction.objects.create(
        case=survey.case, kind=Interaction.Kind.OTHER, summary=summary, author=None
    )
    if survey.low_score:
        Case.objects.filter(pk=survey.case_id).update(needs_attention=True)
    return survey


def surveys_forget_person(*, returnee: Returnee, **kwargs: object) -> None:
    """On erasure (`privacy.signals.returnee_erased`): what the person wrote is emptied;
    the yes/no answers, which name nobody, stay for the counts."""
    FollowUpSurvey.objects.filter(case__returnee=returnee).update(still_missing="")
