"""The daily follow-up digest command."""

import datetime
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import timezone

from coordinators.models import Case
from coordinators.services.pipeline import case_transition
from outbox.models import Email
from tests.factories import CaseFactory, CoordinatorFactory, region

pytestmark = pytest.mark.django_db


def case_due(coordinator, days_from_today):
    case = CaseFactory(coordinator=coordinator, planning_region=coordinator.planning_region)
    Case.objects.filter(pk=case.pk).update(
        next_follow_up=timezone.localdate() + datetime.timedelta(days=days_from_today)
    )
    return case


def test_each_coordinator_gets_their_due_and_overdue_references_only(
    django_capture_on_commit_callbacks,
):
    kurzeme = CoordinatorFactory(email="kurzeme@example.lv")
    zemgale = CoordinatorFactory(email="zemgale@example.lv", planning_region=region("ZEM"))
    overdue, today = case_due(kurzeme, -3), case_due(kurzeme, 0)
    later = case_due(kurzeme, 2)
    closed = case_due(kurzeme, -1)
    case_transition(case=closed, to_status="closed", actor=None, closed_reason="other")
    zemgale_case = case_due(zemgale, -1)
    output = StringIO()

    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_followup_digest", stdout=output)

    kurzeme_mail = Email.objects.get(to="kurzeme@example.lv", purpose="followup_digest")
    assert kurzeme_mail.body.startswith("Lietas, kurās saziņa paredzēta šodien")
    assert overdue.reference in kurzeme_mail.body
    assert today.reference in kurzeme_mail.body
    assert later.reference not in kurzeme_mail.body
    assert closed.reference not in kurzeme_mail.body
    assert zemgale_case.reference not in kurzeme_mail.body
    assert overdue.returnee.last_name not in kurzeme_mail.body  # references, not people
    assert zemgale_case.reference in Email.objects.get(to="zemgale@example.lv").body
    assert "2 digest(s) queued listing 3 case(s)" in output.getvalue()
    assert {message.to[0] for message in mail.outbox} == {
        "kurzeme@example.lv",
        "zemgale@example.lv",
    }


def test_no_due_follow_ups_sends_nothing():
    case_due(CoordinatorFactory(), 5)

    call_command("send_followup_digest", stdout=StringIO())

    assert not Email.objects.exists()


def test_bad_date_is_a_clear_command_error():
    with pytest.raises(CommandError, match="Not a date"):
        call_command("send_followup_digest", date="31.12.2026", stdout=StringIO())


def test_a_second_run_on_the_same_day_sends_nothing_unless_forced():
    case_due(CoordinatorFactory(email="kurzeme@example.lv"), 0)

    call_command("send_followup_digest", stdout=StringIO())
    again = StringIO()
    call_command("send_followup_digest", stdout=again)

    assert Email.objects.filter(purpose="followup_digest").count() == 1
    assert "has been sent already" in again.getvalue()
    call_command("send_followup_digest", "--force", stdout=StringIO())
    assert Email.objects.filter(purpose="followup_digest").count() == 2
