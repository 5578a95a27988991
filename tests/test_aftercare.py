"""After return: follow-ups at 3, 6 and 12 months from the latest return, a survey mailed
once per case and point by the worker, answered through a signed, expiring link in the
person's language; the answers on the timeline, a low score flags the case."""

import datetime

import pytest
from django.core import signing
from django.urls import reverse
from django.utils import timezone, translation

from aftercare import services
from aftercare.models import POINTS, FollowUpSurvey
from aftercare.selectors import (
    SHOW_AFTER,
    SHOW_BEFORE,
    add_months,
    followups_due,
    returned_days,
)
from coordinators.models import Case, CaseEvent
from coordinators.services.pipeline import case_transition
from outbox.models import Email
from tests.factories import CaseFactory, CoordinatorFactory, ReturneeFactory, region

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 12, 1)


def returned_case(*, on, language="lv", **fields):
    """A case that became "returned" on the day `on` (its event and status dated so)."""
    case = CaseFactory(returnee=ReturneeFactory(preferred_language=language), **fields)
    case_transition(case=case, to_status=Case.Status.CONTACTED, actor=None)
    case_transition(case=case, to_status=Case.Status.RETURNED, actor=None)
    moment = timezone.make_aware(datetime.datetime.combine(on, datetime.time(12)))
    CaseEvent.objects.filter(case=case, to_value=Case.Status.RETURNED).update(created_at=moment)
    Case.objects.filter(pk=case.pk).update(status_changed_at=moment)
    return case


def test_months_are_added_on_the_calendar():
    assert add_months(datetime.date(2026, 8, 31), 6) == datetime.date(2027, 2, 28)
    assert add_months(datetime.date(2026, 1, 15), 12) == datetime.date(2027, 1, 15)


@pytest.mark.parametrize("months", POINTS)
def test_the_days_of_return_shown_are_those_whose_point_is_near(months):
    """Every day of a leap year and of the next, against every day of return that could be
    near: `returned_days` gives exactly those whose point falls from 60 days ago to 14 ahead
    (month ends, February and the 29th included)."""
    for offset in range(731):
        today = datetime.date(2027, 12, 1) + datetime.timedelta(days=offset)
        candidates = [
            today - datetime.timedelta(days=31 * months + 100) + datetime.timedelta(days=shift)
            for shift in range(200)
        ]
        near = [
            day
            for day in candidates
            if SHOW_BEFORE >= add_months(day, months) - today >= -SHOW_AFTER
        ]
        assert returned_days(months, today) == (near[0], near[-1]), today


def test_the_dashboard_lists_the_points_near_today_in_constant_queries(
    django_assert_max_num_queries,
):
    coordinator = CoordinatorFactory()
    three = returned_case(on=datetime.date(2026, 9, 1))
    six = returned_case(on=datetime.date(2026, 6, 5))
    for day in range(1, 6):
        returned_case(on=datetime.date(2025, 12, day))
    returned_case(on=datetime.date(2026, 11, 1))  # one month: nothing due yet
    CaseFactory(planning_region=region("ZEM"))

    with django_assert_max_num_queries(3):
        due = followups_due(user=coordinator, today=TODAY)

    points = [(item.case, item.months) for item in due]
    assert {(three, 3), (six, 6)} <= set(points) and len(points) == 7
    assert sorted(item.months for item in due) == [3, 6, 12, 12, 12, 12, 12]
    assert [item.due_on for item in due] == sorted(item.due_on for item in due)


def test_the_first_few_are_the_first_of_all_and_the_windows_end_on_the_calendar(
    django_assert_max_num_queries,
):
    """The dashboard asks for the soonest few: they are the first of the whole list, month
    ends and equal due days included. The shown window is two weeks before the due day to
    two months after, to the day."""
    coordinator = CoordinatorFactory()
    days = [
        datetime.date(2026, 8, 30),  # + 3 months: 30.11 (due yesterday)
        datetime.date(2026, 8, 31),  # + 3 months: 30.11 too (a short month)
        datetime.date(2026, 9, 15),  # + 3 months: 15.12, the last day shown (in 14 days)
        datetime.date(2026, 9, 16),  # + 3 months: 16.12, not yet shown
        datetime.date(2026, 6, 1),  # + 6 months: today
        datetime.date(2026, 4, 2),  # + 6 months: 02.10, the first day shown (60 days ago)
        datetime.date(2026, 4, 1),  # + 6 months: 01.10, no longer shown
        datetime.date(2025, 11, 20),  # + 12 months: 20.11
        datetime.date(2025, 11, 20),
    ]
    cases = [returned_case(on=day) for day in days]

    everything = followups_due(user=coordinator, today=TODAY)
    shown = {(item.case, item.returned_on) for item in everything}
    assert (cases[3], days[3]) not in shown and (cases[6], days[6]) not in shown
    assert len(everything) == 7
    assert [item.due_on for item in everything] == sorted(item.due_on for item in everything)
    for limit in range(1, 8):
        with django_assert_max_num_queries(3):
            first = followups_due(user=coordinator, today=TODAY, limit=limit)
        assert [(item.case, item.months) for item in first] == [
            (item.case, item.months) for item in everything[:limit]
        ]


def test_an_undone_return_stops_the_follow_ups():
    case = returned_case(on=datetime.date(2026, 9, 1))
    case_transition(
        case=case, to_status=Case.Status.CLOSED, actor=None,
        closed_reason=Case.ClosedReason.values[0],
    )  # fmt: skip

    assert followups_due(user=CoordinatorFactory(), today=TODAY) == []
    assert services.followup_surveys_send(today=TODAY) == 0


def test_the_survey_is_mailed_once_per_case_and_point_in_the_persons_language(settings):
    settings.PORTAL_URL = "https://portal.example.lv"
    case = returned_case(on=datetime.date(2026, 9, 1), language="ru")

    assert services.followup_surveys_send(today=TODAY) == 1
    assert services.followup_surveys_send(today=TODAY) == 0  # the next day's run, a retry

    survey = FollowUpSurvey.objects.get()
    assert (survey.case, survey.months, survey.due_on) == (case, 3, datetime.date(2026, 12, 1))
    email = Email.objects.get(purpose=Email.Purpose.AFTERCARE_SURVEY)
    assert email.to == case.returnee.email and email.case == case
    assert "https://portal.example.lv/ru/aftercare/survey/" in email.body


def test_a_point_missed_long_ago_is_not_sent_late():
    returned_case(on=datetime.date(2026, 7, 1))  # the 3-month point was on 01.10.2026

    assert services.followup_surveys_send(today=TODAY) == 0


@pytest.fixture
def survey():
    returned_case(on=datetime.date(2026, 9, 1), language="ru")
    services.followup_surveys_send(today=TODAY)
    return FollowUpSurvey.objects.get()


def test_the_survey_page_opens_in_russian_by_its_link(client, survey):
    with translation.override("ru"):
        url = reverse("aftercare:survey", args=[services.survey_token(survey)])
    response = client.get(url)

    assert response.status_code == 200
    assert 'lang="ru"' in response.text


def test_a_tampered_or_expired_link_is_a_404(client, survey, monkeypatch):
    token = services.survey_token(survey)
    other = token.replace(f"{survey.pk}:", f"{survey.pk + 1}:", 1)
    real_time = signing.time.time
    monkeypatch.setattr(signing.time, "time", lambda: real_time() - 61 * 86400)
    old = services.survey_token(survey)
    monkeypatch.setattr(signing.time, "time", real_time)

    for bad in (other, old, "nonsense"):
        assert client.get(reverse("aftercare:survey", args=[bad])).status_code == 404


def test_answers_go_on_the_timeline_and_a_low_score_flags_the_case(client, survey):
    url = reverse("aftercare:survey", args=[services.survey_token(survey)])
    answers = {"settled": "partly", "work": "no", "school_place": "yes",
               "still_missing": "Darbs Liepājā pēc specialitātes", "recommend": "4"}  # fmt: skip

    assert client.post(url, answers).status_code == 302
    client.post(url, answers | {"recommend": "10"})  # a second post changes nothing

    survey.refresh_from_db()
    assert (survey.work, survey.recommend) == ("no", 4)
    interaction = survey.case.interactions.get()
    assert "Darbs Liepājā pēc specialitātes" in interaction.summary
    assert interaction.summary.startswith("Aptauja 3 mēnešus")
    assert Case.objects.get(pk=survey.case_id).needs_attention is True


def test_a_score_out_of_range_is_a_field_error_and_keeps_what_was_typed(client, survey):
    url = reverse("aftercare:survey", args=[services.survey_token(survey)])

    response = client.post(url, {"recommend": "11", "still_missing": "Mājoklis"})

    assert response.status_code == 200
    assert "Mājoklis" in response.text
    survey.refresh_from_db()
    assert survey.answered_at is None


def test_the_unmet_needs_report_stays_in_the_region(client, survey):
    services.survey_answer(
        survey=survey, settled="yes", work="yes", school_place="not_needed",
        still_missing="Bērnudārzs tuvāk mājām", recommend=9,
    )  # fmt: skip

    client.force_login(CoordinatorFactory())
    kurzeme = client.get(reverse("aftercare:report"))
    client.force_login(CoordinatorFactory(planning_region=region("ZEM")))
    zemgale = client.get(reverse("aftercare:report"))

    assert "Bērnudārzs tuvāk mājām" in kurzeme.text
    assert kurzeme.context["report"].counts["settled"]["yes"] == 1
    assert "Bērnudārzs tuvāk mājām" not in zemgale.text
    assert zemgale.context["report"].answered == 0


def test_the_dashboard_shows_the_follow_up(client, survey):
    client.force_login(CoordinatorFactory())

    response = client.get(reverse("home"))

    assert survey.case.reference in response.text


def test_the_survey_post_needs_the_csrf_token(survey):
    from django.middleware.csrf import _get_new_csrf_string
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    url = reverse("aftercare:survey", args=[services.survey_token(survey)])

    refused = client.post(url, {"recommend": "9"})
    client.cookies["csrftoken"] = secret = _get_new_csrf_string()
    accepted = client.post(url, {"recommend": "9", "csrfmiddlewaretoken": secret})

    assert (refused.status_code, accepted.status_code) == (403, 302)


def test_an_erasure_empties_what_the_person_wrote(survey):
    from privacy.services import returnee_erase

    services.survey_answer(
        survey=survey, settled="no", work="no", school_place="no",
        still_missing="Mana adrese ir Liepājā, Ziemeļu ielā 5", recommend=3,
    )  # fmt: skip

    returnee_erase(returnee=survey.case.returnee)

    survey.refresh_from_db()
    assert (survey.still_missing, survey.settled) == ("", "no")


def test_the_dashboard_lists_the_soonest_fifty_follow_ups(client, national_admin):
    today = timezone.localdate()
    for day in range(52):
        returned_case(on=add_months(today, -3) - datetime.timedelta(days=day % 40))
    client.force_login(national_admin)

    response = client.get("/")

    html = response.content.decode()
    assert html.count('<td><a href="/cases/') == 50
    assert "Parādītas 50 tuvākās sazināšanās." in html
