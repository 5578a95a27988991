"""The survey mail after return: in the person's language, with the signed link."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from common.urls import absolute_url
from outbox.models import Email
from outbox.services import email_enqueue

from .models import FollowUpSurvey

SUBJECT = _("How are you settling in? A short question from your remigration coordinator")


def survey_enqueue(*, survey: FollowUpSurvey, token: str) -> None:
    """Queue the survey for the person (the worker sends it)."""
    returnee = survey.case.returnee
    with translation.override(returnee.preferred_language or "lv"):
        context = {
            "survey": survey,
            "first_name": returnee.first_name,
            "url": absolute_url(reverse("aftercare:survey", args=[token])),
        }
        email_enqueue(
            to=returnee.email,
            subject=str(SUBJECT),
            body=render_to_string("aftercare/email/survey.txt", context),
            purpose=Email.Purpose.AFTERCARE_SURVEY,
            case=survey.case,
        )
