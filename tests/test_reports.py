"""The report page: exact figures from a known dataset, definitions, scope and bad input."""

import datetime
import html as html_module
import re

import pytest
from django.urls import reverse

from coordinators.models import Case
from reports.figures.definitions import DEFINITIONS
from reports.figures.scope import report_scope
from reports.forms import (
    BEFORE_PROGRAMME,
    BOTH_DATES_NEEDED,
    INVERTED_PERIOD,
    MUNICIPALITY_OUTSIDE_REGIONS,
    REGION_OUTSIDE_SCOPE,
    UNKNOWN_MUNICIPALITY,
    ReportForm,
    preset_period,
)
from tests import factories
from tests import report_data as data

URL = "/en/reports/"
YEAR_2022 = {"date_from": "01.01.2022", "date_to": "31.12.2022"}


@pytest.fixture
def dataset(db):
    return data.build()


def _number(text):
    text = text.strip()
    if text == "—":
        return None
    return float(text.replace(",", ".")) if "," in text else int(text)


def figures(response):
    html = response.content.decode()
    rows = re.findall(
        r'data-figure="(\w+)">\s*<th[^>]*>.*?</th>\s*<td class="number figure-value">([^<]*)</td>',
        html,
        re.S,
    )
    return {key: _number(value) for key, value in rows}


def keyed_counts(response, attribute):
    html = response.content.decode()
    rows = re.findall(
        rf'data-{attribute}="(\w+)"><th[^>]*>.*?</th><td class="number">(\d+)</td>', html, re.S
    )
    return {key: int(value) for key, value in rows}


def breakdown_rows(response, key):
    html = response.content.decode()
    table = re.search(rf'data-breakdown="{key}">(.*?)</table>', html, re.S).group(1)
    rows = {}
    for label, cells in re.findall(r'<tr><th scope="row">([^<]*)</th>(.*?)</tr>', table, re.S):
        rows[label] = [int(value) for value in re.findall(r'<td class="number">(\d+)</td>', cells)]
    return rows


def test_coordinator_sees_the_exact_figures_of_their_region_for_a_year(
    client, dataset, kurzeme_coordinator
):
    client.force_login(kurzeme_coordinator)
    response = client.get(URL, YEAR_2022)
    assert response.status_code == 200
    assert figures(response) == data.KURZEME_2022
    assert keyed_counts(response, "source") == data.KURZEME_2022_SOURCES
    assert keyed_counts(response, "reason") == data.KURZEME_2022_CLOSED
    funnel = re.findall(
        r'data-step="\w+">\s*<th[^>]*>[^<]*</th>\s*<td class="number">(\d+)</td>',
        response.content.decode(),
    )
    assert [int(value) for value in funnel] == data.KURZEME_2022_FUNNEL


def test_breakdowns_count_by_municipality_country_need_and_timeframe(
    client, dataset, kurzeme_coordinator
):
    client.force_login(kurzeme_coordinator)
    response = client.get(URL, YEAR_2022)
    # Columns: new, offers prepared, offers sent, wish, returned, household, people returned.
    assert breakdown_rows(response, "municipality") == {
        data.LIEPAJA: [2, 2, 2, 2, 2, 3, 5],
        data.VENTSPILS: [2, 0, 0, 0, 0, 0, 0],
    }
    assert breakdown_rows(response, "country") == {
        "United Kingdom": [1, 0, 0, 1, 1, 2, 3],
        "Ireland": [1, 2, 2, 1, 1, 1, 2],
        "Germany": [1, 0, 0, 0, 0, 0, 0],
        "Norway": [1, 0, 0, 0, 0, 0, 0],
    }
    assert breakdown_rows(response, "need") == {
        "Housing": [0, 0, 0, 1, 1, 2, 3],
        "Family services and education": [1, 2, 2, 1, 1, 1, 2],
        "Work": [2, 2, 2, 1, 1, 1, 2],
        "no needs recorded": [2, 0, 0, 0, 0, 0, 0],
    }
    assert breakdown_rows(response, "timeframe") == {
        "within 6 months": [3, 2, 2, 2, 2, 3, 5],
        "in 1–2 years": [1, 0, 0, 0, 0, 0, 0],
    }
    assert breakdown_rows(response, "region") == {
        "Kurzemes plānošanas reģions": [4, 2, 2, 2, 2, 3, 5]
    }


def test_monthly_trend_puts_each_step_in_its_month(client, dataset, kurzeme_coordinator):
    client.force_login(kurzeme_coordinator)
    trend = breakdown_rows(client.get(URL, YEAR_2022), "trend")
    assert len(trend) == 12
    assert trend["01.2022"] == [1, 0, 0, 0, 0, 0, 0]
    assert trend["02.2022"] == [0, 1, 1, 1, 0, 0, 0]
    assert trend["03.2022"] == [1, 1, 0, 1, 0, 0, 0]
    # K2 decided again in April: a case counts once in the period, in the month of its first
    # change, so the months add up to the figures of the year.
    assert trend["04.2022"] == [0, 0, 1, 0, 0, 0, 0]
    assert trend["05.2022"] == [0, 0, 0, 0, 1, 2, 3]
    assert trend["06.2022"] == [1, 0, 0, 0, 1, 1, 2]
    assert trend["12.2022"] == [1, 0, 0, 0, 0, 0, 0]


def test_national_admin_sees_all_regions_and_the_national_queue(client, dataset, national_admin):
    client.force_login(national_admin)
    response = client.get(URL, YEAR_2022)
    shown = figures(response)
    assert {key: shown[key] for key in data.NATIONAL_2022} == data.NATIONAL_2022
    regions = breakdown_rows(response, "region")
    assert regions["Kurzemes plānošanas reģions"][0] == 4
    assert regions["Zemgales plānošanas reģions"] == [2, 1, 0, 1, 1, 3, 4]
    assert regions["not decided yet (national queue)"][0] == 1


def test_national_admin_can_narrow_to_one_region(client, dataset, national_admin):
    client.force_login(national_admin)
    shown = figures(client.get(URL, {**YEAR_2022, "region": "ZEM"}))
    assert {key: shown[key] for key in data.ZEMGALE_2022} == data.ZEMGALE_2022


def test_analyst_sees_only_their_own_region(client, dataset):
    analyst = factories.AnalystFactory(planning_region=factories.region("ZEM"))
    client.force_login(analyst)
    shown = figures(client.get(URL, YEAR_2022))
    assert {key: shown[key] for key in data.ZEMGALE_2022} == data.ZEMGALE_2022


def test_municipality_filter_counts_only_that_municipality(client, dataset, kurzeme_coordinator):
    client.force_login(kurzeme_coordinator)
    ventspils = factories.municipality(data.VENTSPILS)
    shown = figures(client.get(URL, {**YEAR_2022, "municipality": ventspils.pk}))
    assert shown["new_contacts"] == 2
    assert shown["returned"] == 0
    assert shown["active"] == 1  # K3


def test_a_past_report_does_not_change_when_cases_move_on(client, dataset, kurzeme_coordinator):
    client.force_login(kurzeme_coordinator)
    before = figures(client.get(URL, YEAR_2022))
    reasons_before = keyed_counts(client.get(URL, YEAR_2022), "reason")
    data.move(dataset["K3"], Case.Status.CLOSED, (2023, 5, 1), reason="not_returning")
    data.move(dataset["K5"], Case.Status.CONTACTED, (2023, 5, 2))
    data.move(dataset["K5"], Case.Status.RETURNED, (2023, 6, 2))
    data.offer(dataset["K5"], 1, (2023, 5, 3), (2023, 5, 4))
    assert figures(client.get(URL, YEAR_2022)) == before
    assert keyed_counts(client.get(URL, YEAR_2022), "reason") == reasons_before
    later = figures(client.get(URL, {"date_from": "01.01.2023", "date_to": "31.12.2023"}))
    assert later["returned"] == 2  # K6, K5
    assert later["active"] == 0


def test_active_cases_are_read_from_the_history_at_the_end_of_the_period(
    client, dataset, kurzeme_coordinator
):
    client.force_login(kurzeme_coordinator)
    # At 31.07.2022: K3 closed (01.07), K4 open, K1 and K2 returned, K8 returned → 1.
    shown = figures(client.get(URL, {"date_from": "01.07.2022", "date_to": "31.07.2022"}))
    assert shown["active"] == 1
    # At 30.06.2021: K1 not yet created, K8 contacted, K7 closed → 1.
    shown = figures(client.get(URL, {"date_from": "01.06.2021", "date_to": "30.06.2021"}))
    assert shown["active"] == 1


def test_every_definition_is_shown_on_the_page(client, dataset, kurzeme_coordinator):
    client.force_login(kurzeme_coordinator)
    html = html_module.unescape(client.get(URL, YEAR_2022).content.decode())
    for key, definition in DEFINITIONS.items():
        # The case-level export and its definition are for national admins only.
        assert (str(definition) in html) == (key != "case_export")
        assert "cases.csv" not in html


def test_page_is_latvian_by_default_with_charts_as_inline_svg(client, dataset, kurzeme_coordinator):
    client.force_login(kurzeme_coordinator)
    html = client.get("/reports/", YEAR_2022).content.decode()
    assert '<html lang="lv">' in html
    assert html.count("<svg") == 3
    assert "<script" not in html
    assert "cdn" not in html.lower()


def test_without_a_period_the_page_shows_this_year(client, db, kurzeme_coordinator):
    client.force_login(kurzeme_coordinator)
    response = client.get(URL)
    year = datetime.date.today().year
    assert f"01.01.{year} – 31.12.{year}" in response.content.decode()


@pytest.mark.parametrize(
    ("preset", "expected"),
    [
        ("this_month", (datetime.date(2026, 11, 1), datetime.date(2026, 11, 30))),
        ("this_quarter", (datetime.date(2026, 10, 1), datetime.date(2026, 12, 31))),
        ("this_year", (datetime.date(2026, 1, 1), datetime.date(2026, 12, 31))),
        ("last_year", (datetime.date(2025, 1, 1), datetime.date(2025, 12, 31))),
        ("since_start", (datetime.date(2018, 3, 1), datetime.date(2026, 11, 27))),
    ],
)
def test_presets_give_whole_periods(db, kurzeme_coordinator, preset, expected):
    today = datetime.date(2026, 11, 27)
    assert preset_period(preset, today) == expected
    form = ReportForm({"period": preset}, user=kurzeme_coordinator, today=today)
    assert form.is_valid(), form.errors
    filters = form.report_filters()
    assert (filters.date_from, filters.date_to) == expected


def test_first_quarter_preset_ends_in_march():
    assert preset_period("this_quarter", datetime.date(2025, 2, 14)) == (
        datetime.date(2025, 1, 1),
        datetime.date(2025, 3, 31),
    )


def _shows_error_and_no_figures(response, message):
    assert response.status_code == 200
    html = html_module.unescape(response.content.decode())
    assert str(message).split("%")[0] in html
    assert "figure-value" not in html


def test_coordinator_asking_for_another_region_gets_a_message_not_its_figures(
    client, dataset, kurzeme_coordinator
):
    client.force_login(kurzeme_coordinator)
    response = client.get(URL, {**YEAR_2022, "region": "ZEM"})
    _shows_error_and_no_figures(response, REGION_OUTSIDE_SCOPE)


def test_error_summary_links_to_the_region_checkboxes(client, dataset, kurzeme_coordinator):
    client.force_login(kurzeme_coordinator)
    response = client.get(URL, {**YEAR_2022, "region": "ZEM"})
    html = response.content.decode()
    # The checkboxes' fieldset carries the field's id; "#" alone would lead nowhere.
    assert '<fieldset id="id_region">' in html
    assert '<a href="#id_region">' in html


def test_municipality_of_another_region_or_unknown_is_refused(client, dataset, kurzeme_coordinator):
    client.force_login(kurzeme_coordinator)
    jelgava = factories.municipality(data.JELGAVA)
    for value in (jelgava.pk, 999999, "abc"):
        response = client.get(URL, {**YEAR_2022, "municipality": value})
        _shows_error_and_no_figures(response, UNKNOWN_MUNICIPALITY)


@pytest.mark.parametrize(
    ("period", "message"),
    [
        ({"date_from": "31.12.2022", "date_to": "01.01.2022"}, INVERTED_PERIOD),
        ({"date_from": "01.01.1900", "date_to": "01.01.2022"}, BEFORE_PROGRAMME),
        ({"date_from": "31.02.2022", "date_to": "01.03.2022"}, "Enter a valid date."),
        ({"date_from": "01.01.2022", "date_to": "01.01.2100"}, "The end of the period is too"),
        ({"period": "forever"}, "Unknown period preset."),
    ],
)
def test_bad_periods_give_a_clear_message(client, db, kurzeme_coordinator, period, message):
    client.force_login(kurzeme_coordinator)
    response = client.get(URL, period)
    _shows_error_and_no_figures(response, message)
    if "date_from" in period:
        assert period["date_from"] in response.content.decode()  # what was typed is kept


def test_municipal_specialist_is_forbidden(client, db):
    client.force_login(factories.SpecialistFactory())
    assert client.get(URL, YEAR_2022).status_code == 403
    assert client.get(reverse("reports:export_xlsx"), YEAR_2022).status_code == 403


def test_anonymous_visitor_is_sent_to_log_in(client, db):
    response = client.get(URL)
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_report_scope_is_the_own_region_for_coordinator_and_analyst(db):
    zemgale = factories.region("ZEM")
    assert list(report_scope(factories.CoordinatorFactory())) == [factories.region("KUR")]
    assert list(report_scope(factories.AnalystFactory(planning_region=zemgale))) == [zemgale]
    assert report_scope(factories.NationalAdminFactory()).count() == 5
    assert not report_scope(factories.SpecialistFactory()).exists()


def test_page_runs_a_constant_number_of_queries(
    client, dataset, national_admin, django_assert_max_num_queries
):
    client.force_login(national_admin)
    with django_assert_max_num_queries(30) as captured:
        client.get(URL, YEAR_2022)
    first = len(captured)
    for number in range(10):
        data.make_case((2022, 3, 1 + number), municipality=data.LIEPAJA, needs=["work"])
    with django_assert_max_num_queries(first):
        client.get(URL, YEAR_2022)


def test_municipality_outside_the_chosen_region_is_refused(client, dataset, national_admin):
    client.force_login(national_admin)
    jelgava = factories.municipality(data.JELGAVA)
    response = client.get(URL, {**YEAR_2022, "region": "KUR", "municipality": jelgava.pk})
    _shows_error_and_no_figures(response, MUNICIPALITY_OUTSIDE_REGIONS)


def test_only_one_date_asks_for_both(client, db, kurzeme_coordinator):
    client.force_login(kurzeme_coordinator)
    response = client.get(URL, {"date_from": "01.01.2022"})
    _shows_error_and_no_figures(response, BOTH_DATES_NEEDED)


def test_erasing_people_leaves_every_figure_of_the_report_unchanged(
    client, dataset, national_admin
):
    from privacy.services import returnee_erase

    client.force_login(national_admin)
    since_start = {"date_from": "01.03.2018", "date_to": "31.12.2023"}
    page = client.get(URL, since_start)
    before = (figures(page), keyed_counts(page, "reason"), keyed_counts(page, "source"))
    assert before[0]["returned"] > 0

    for case in dataset.values():
        returnee_erase(returnee=case.returnee)

    page = client.get(URL, since_start)
    assert (figures(page), keyed_counts(page, "reason"), keyed_counts(page, "source")) == before
