"""The public figures: the same numbers as the staff report for the same period and region,
never a cell under five people (suppressed, not rounded), cached with a fallback when the
cache is down, an embeddable widget and JSON with CORS for the configured sites."""

import datetime
import json

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from openfigures.models import FiguresSnapshot
from openfigures.selectors import public_figures, public_figures_compute, year_filters
from openfigures.services import public_figures_refresh
from reports.figures.report import report_build
from tests.factories import EventFactory, region
from tests.report_data import LIEPAJA, S, make_case, move, offer

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2024, 12, 31)
KEYS = ("people_returned", "active", "offers_prepared")


@pytest.fixture
def programme():
    """Kurzeme 2024: six returned to Liepāja (five with a partner), five still in contact,
    eleven offers; Zemgale 2024: two returned (under five)."""
    for number in range(6):
        case = make_case(
            (2024, 2, 1 + number), municipality=LIEPAJA, household=["partner"] if number else []
        )
        move(case, S.CONTACTED, (2024, 3, 1))
        offer(case, 1, (2024, 3, 5), (2024, 3, 6))
        move(case, S.DECIDED_TO_RETURN, (2024, 4, 1))
        move(case, S.RETURNED, (2024, 6, 1 + number))
    for number in range(5):
        case = make_case((2024, 5, 1 + number))
        offer(case, 1, (2024, 5, 10))
    for number in range(2):
        case = make_case((2024, 2, 1 + number), region="ZEM")
        move(case, S.CONTACTED, (2024, 3, 1))
        move(case, S.RETURNED, (2024, 7, 1))


def cell(figures, year, region_name):
    (row,) = [
        r
        for y in figures["years"]
        if y["year"] == year
        for r in y["regions"]
        if r["region"] == region_name
    ]
    return row


def test_the_public_figures_equal_the_staff_report_for_the_same_period(programme):
    figures = public_figures_compute(today=TODAY)

    kurzeme = region("KUR")
    report = report_build(year_filters(2024, TODAY, (kurzeme,)))
    public = cell(figures, 2024, kurzeme.name)
    assert {key: public[key] for key in KEYS} == {key: report.headline[key] for key in KEYS}
    assert public["people_returned"] == 11  # six returnees and five partners
    assert (public["offers_prepared"], public["active"]) == (11, 5)


def test_no_cell_under_five_is_ever_shown(programme, client):
    figures = public_figures_compute(today=TODAY)

    zemgale = cell(figures, 2024, region("ZEM").name)
    assert zemgale["people_returned"] is None  # two people: suppressed, not 2 and not 0
    cells = [r[key] for y in figures["years"] for r in y["regions"] for key in KEYS]
    assert all(value is None or value >= 5 for value in cells)
    assert all(row["people_returned"] >= 5 for row in figures["top_municipalities"])
    assert [row["municipality"] for row in figures["top_municipalities"]] == [LIEPAJA]


def test_one_family_of_five_is_not_shown_however_many_people_it_is(programme):
    """Vidzeme 2024: one family of five returned to Cēsis. Five people, one household:
    the cell would name the family, so it is suppressed and the town is not listed."""
    family = make_case((2024, 2, 1), region="VID", municipality="Cēsu novads",
                       household=["partner", "child", "child", "child"])  # fmt: skip
    move(family, S.CONTACTED, (2024, 3, 1))
    move(family, S.RETURNED, (2024, 6, 1))

    figures = public_figures_compute(today=TODAY)

    assert cell(figures, 2024, region("VID").name)["people_returned"] is None
    assert "Cēsu novads" not in [row["municipality"] for row in figures["top_municipalities"]]
    assert cell(figures, 2024, region("KUR").name)["people_returned"] == 11  # six families


def test_the_page_shows_suppressed_cells_as_under_five(programme, client):
    page = client.get(reverse("openfigures:page")).content.decode()

    assert "&lt;5" in page and ">11<" in page


def test_the_json_has_null_for_suppressed_cells_and_cors_for_listed_sites(programme, client):
    response = client.get(reverse("openfigures:json"), HTTP_ORIGIN="https://paps.lv")

    assert response["Access-Control-Allow-Origin"] == "https://paps.lv"
    data = json.loads(response.content)
    assert data["min_cell"] == 5
    assert any(r["people_returned"] is None for y in data["years"] for r in y["regions"])
    other = client.get(reverse("openfigures:json"), HTTP_ORIGIN="https://evil.example")
    assert "Access-Control-Allow-Origin" not in other


def test_only_the_widget_may_be_framed_and_only_by_the_listed_sites(client, settings):
    settings.OPEN_FIGURES_FRAME_ANCESTORS = ["https://paps.lv"]

    widget = client.get(reverse("openfigures:widget"))
    page = client.get(reverse("openfigures:page"))

    assert widget.status_code == 200
    assert "X-Frame-Options" not in widget
    assert "frame-ancestors https://paps.lv" in widget["Content-Security-Policy"]
    assert page["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in page["Content-Security-Policy"]
    assert "<script" not in widget.content.decode()


def test_upcoming_events_are_listed(client):
    EventFactory(title="Seminārs Dublinā")
    EventFactory(title="Melnraksts", published=False)

    data = json.loads(client.get(reverse("openfigures:json")).content)

    assert [event["title"] for event in data["events"]] == ["Seminārs Dublinā"]
    assert data["events"][0]["url"].startswith("https://")


def test_the_figures_are_kept_and_cached_so_no_request_counts_them_twice(
    django_assert_max_num_queries,
):
    public_figures()  # before the worker's first run: computed once, kept as the snapshot
    assert FiguresSnapshot.objects.count() == 1

    with django_assert_max_num_queries(1):  # the upcoming events only
        public_figures()


def test_a_cache_that_is_down_serves_the_workers_snapshot(monkeypatch, programme):
    public_figures_refresh()

    def down(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(cache, "get", down)
    monkeypatch.setattr(cache, "set", down)

    with CaptureQueriesContext(connection) as queries:
        figures = public_figures()
    assert len(queries) <= 2  # the snapshot and the events: nothing counted
    assert figures["years"] == FiguresSnapshot.objects.get().data["years"]


def test_a_cache_that_is_down_before_the_first_refresh_still_gives_the_figures(monkeypatch):
    def down(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(cache, "get", down)
    monkeypatch.setattr(cache, "set", down)

    assert public_figures()["min_cell"] == 5


def test_the_worker_refreshes_the_figures_every_quarter_hour(programme):
    from jobs.schedule import SCHEDULE

    (job,) = [job for job in SCHEDULE if job.name == "open_figures_refresh"]
    assert job.function == "openfigures.services.public_figures_refresh"
    public_figures_refresh()
    public_figures_refresh()
    assert FiguresSnapshot.objects.count() == 1
