"""My work: a coordinator's case list opens at what needs them (due, overdue, new in the
region, answered by a municipality, wrote again); all cases are one choice away; the
select-all box; the "wrote again" card counts the region's unassigned cases too."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from coordinators.models import Case
from tests.factories import CaseFactory, CoordinatorFactory, MunicipalityRequestFactory
from workspace.selectors import nav_badges

pytestmark = pytest.mark.django_db


@pytest.fixture
def cases(kurzeme_coordinator):
    today = timezone.localdate()
    colleague = CoordinatorFactory()

    def mine(**kwargs):
        return CaseFactory(**{"coordinator": kurzeme_coordinator, "status": "contacted", **kwargs})

    answered = mine()
    MunicipalityRequestFactory(case=answered, status="answered", answer="Ir",
                               answered_at=timezone.now())  # fmt: skip
    return {
        "due": mine(next_follow_up=today),
        "overdue": mine(next_follow_up=today - datetime.timedelta(days=3)),
        "later": mine(next_follow_up=today + datetime.timedelta(days=3)),
        "wrote_again": mine(needs_attention=True),
        "answered": answered,
        "new_unassigned": CaseFactory(),
        "unassigned_wrote_again": CaseFactory(status="contacted", needs_attention=True),
        "colleagues": CaseFactory(coordinator=colleague, next_follow_up=today),
        "returned_due": mine(status="returned", next_follow_up=today),
    }


def references(response):
    return {case.reference for case in response.context["cases"]}


def test_the_coordinators_list_opens_at_their_work(client, kurzeme_coordinator, cases):
    client.force_login(kurzeme_coordinator)

    response = client.get(reverse("workspace:case_list"))

    expected = {"due", "overdue", "wrote_again", "answered", "new_unassigned",
                "unassigned_wrote_again"}  # fmt: skip
    assert references(response) == {cases[name].reference for name in expected}
    assert response.context["filter_form"]["work"].value() == "mine"


def test_all_cases_are_one_choice_away(client, kurzeme_coordinator, cases):
    client.force_login(kurzeme_coordinator)
    response = client.get(reverse("workspace:case_list"), {"work": "all"})
    assert references(response) == {case.reference for case in cases.values()}


def test_a_national_administrator_sees_all_by_default(client, national_admin, cases):
    client.force_login(national_admin)
    response = client.get(reverse("workspace:case_list"))
    assert len(references(response)) == Case.objects.count()


def test_the_list_has_a_select_all_box(client, kurzeme_coordinator, cases):
    client.force_login(kurzeme_coordinator)
    response = client.get(reverse("workspace:case_list"))
    assert b'data-select-all="cases"' in response.content
    assert b"js/select-all.js" in response.content


def test_wrote_again_card_counts_the_regions_unassigned_cases(client, kurzeme_coordinator, cases):
    client.force_login(kurzeme_coordinator)
    counts = client.get(reverse("home")).context["counts"]
    assert counts["attention"] == 2  # mine and the unassigned one, not a colleague's


@pytest.mark.parametrize("extra", [0, 25])
def test_menu_badges_count_in_one_query_whatever_the_data(
    client, kurzeme_coordinator, cases, extra, django_assert_num_queries
):
    for _number in range(extra):
        CaseFactory()
    client.force_login(kurzeme_coordinator)
    request = client.get(reverse("workspace:transfer_list")).wsgi_request

    with django_assert_num_queries(1):
        badges = nav_badges(user=kurzeme_coordinator)
    assert badges == {
        "new_contacts": 1 + extra,
        "to_check": 0,
        "answers": 1,
    }
    assert request._nav_badges == badges  # the page counted them once, kept on the request


def test_menu_shows_the_badges(client, kurzeme_coordinator, cases):
    client.force_login(kurzeme_coordinator)
    page = client.get(reverse("workspace:transfer_list")).content.decode()
    assert 'class="nav-badge"' in page and "nav-badge--answers" in page
