"""Contact-form rows do not outlive their use: pruned once dealt with (the retention
setting), and a form the worker failed on is deleted with the person it names."""

import datetime

import pytest
from django.utils import timezone

from coordinators.models import ContactSubmission
from coordinators.services.contacts import contact_submissions_prune
from jobs.schedule import SCHEDULE
from privacy.services import returnee_erase
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db

NOW = timezone.now()


def submission(number, status, *, days_ago, email="someone@example.org"):
    data = {"email": email, "first_name": "Ilze"} if status == "received" else {}
    return ContactSubmission.objects.create(
        token_digest=f"{number:064d}", status=status, data=data,
        created_at=NOW - datetime.timedelta(days=days_ago),
    )  # fmt: skip


def test_processed_submissions_past_the_retention_are_pruned(settings):
    settings.CONTACT_SUBMISSION_RETENTION_DAYS = 30
    old = [submission(n, status, days_ago=31)
           for n, status in enumerate(("case_created", "linked", "dismissed"))]  # fmt: skip
    recent = submission(10, "case_created", days_ago=29)
    waiting = [submission(11, "received", days_ago=90), submission(12, "to_check", days_ago=90)]

    assert contact_submissions_prune(now=NOW) == len(old)

    left = set(ContactSubmission.objects.values_list("pk", flat=True))
    assert left == {recent.pk, *(row.pk for row in waiting)}


def test_the_prune_is_a_daily_job():
    job = next(job for job in SCHEDULE if job.name == "contact_submissions_prune")
    assert job.function == "coordinators.services.contacts.contact_submissions_prune"


def test_erasure_deletes_a_failed_submission_with_the_persons_address(kurzeme_coordinator):
    case = CaseFactory(coordinator=kurzeme_coordinator, returnee__email="ilze@example.org")
    failed = submission(1, "received", days_ago=1, email="ILZE@example.org")
    other = submission(2, "received", days_ago=1, email="cits@example.org")

    returnee_erase(returnee=case.returnee, actor=kurzeme_coordinator)

    assert not ContactSubmission.objects.filter(pk=failed.pk).exists()
    assert ContactSubmission.objects.filter(pk=other.pk).exists()
