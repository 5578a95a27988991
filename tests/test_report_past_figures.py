"""Figures of a closed period never change: every figure of 2022 (Kurzeme, Zemgale, one
municipality, the whole country with the national queue) is the same after a child is added
to a returned person's household, a returned and an open case move to another region, cases
are reopened and closed again, people are erased and a later year is imported.

The counted rows keep the case's region, municipality and household size as they were when
the event happened (CaseEvent and Offer snapshots), and the reports count by them.
"""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from coordinators.models import Case, CaseEvent, HouseholdMember
from coordinators.services.pipeline import case_transition
from imports.models import ImportJob
from municipalities.models import PlanningRegion
from offers.models import Offer
from privacy.services import returnee_erase
from reports.figures.filters import ReportFilters
from reports.figures.report import report_build
from tests import factories
from tests import report_data as data
from tests.import_files import csv_bytes, good_row

pytestmark = pytest.mark.django_db
S = Case.Status
YEAR = (datetime.date(2022, 1, 1), datetime.date(2022, 12, 31))


def scopes():
    """The reports a region, a municipality and the country would draw up for 2022."""
    kurzeme, zemgale = factories.region("KUR"), factories.region("ZEM")
    return {
        "kurzeme": ReportFilters(*YEAR, regions=(kurzeme,)),
        "zemgale": ReportFilters(*YEAR, regions=(zemgale,)),
        "liepaja": ReportFilters(
            *YEAR, regions=(kurzeme,), municipality=factories.municipality(data.LIEPAJA)
        ),
        "national": ReportFilters(
            *YEAR, regions=tuple(PlanningRegion.objects.all()), include_national_queue=True
        ),
    }


def every_figure(filters):
    """Every figure of the report, as the page and every export show them."""
    report = report_build(filters)
    return {
        "headline": report.headline,
        "sources": [(row["key"], row["count"]) for row in report.sources],
        "closed_by_reason": [(row["key"], row["count"]) for row in report.closed_by_reason],
        "funnel": [(step["key"], step["count"]) for step in report.funnel],
        "trend": report.trend,
        "breakdowns": {breakdown.key: breakdown.rows for breakdown in report.breakdowns},
    }


def import_later_year(client, coordinator, on_commit):
    """A Kurzeme history file of 2024 imported through the workspace (dry run, then import)."""
    rows = [
        good_row(
            number,
            created="10.02.2024",
            contacted="15.02.2024",
            offer_prepared="01.03.2024",
            offer_sent="05.03.2024",
            returned="01.06.2024",
            household="child 2020",
        )
        for number in range(3)
    ]
    client.force_login(coordinator)
    upload = SimpleUploadedFile("kurzeme-2024.csv", csv_bytes(rows))
    with on_commit(execute=True):
        client.post(reverse("imports:upload"), {"file": upload})
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.READY, job.problems
    with on_commit(execute=True):
        client.post(reverse("imports:start", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE


def test_no_later_change_alters_any_figure_of_a_past_year(
    client, django_capture_on_commit_callbacks, kurzeme_coordinator, national_admin
):
    cases = data.build()
    before = {name: every_figure(filters) for name, filters in scopes().items()}
    assert before["kurzeme"]["headline"]["people_returned"] == 5
    assert before["zemgale"]["headline"]["people_returned"] == 4

    # A child born after the return joins K1's household (returned in May 2022).
    k1 = cases["K1"]
    HouseholdMember.objects.create(returnee=k1.returnee, relation="child", birth_year=2024)
    # K1 (returned) and K3 (open at the end of 2022) move to Zemgale, straight on the case.
    jelgava = factories.municipality(data.JELGAVA)
    for name in ("K1", "K3"):
        case = Case.objects.get(pk=cases[name].pk)
        case.planning_region, case.municipality = jelgava.planning_region, jelgava
        case.save()
        # As a transfer records it (workday's region transfer writes this kind of event).
        CaseEvent.objects.create(
            case=case, kind=CaseEvent.Kind.REGION_CHANGED, from_value="KUR", to_value="ZEM"
        )
    # K8 (closed in August 2022 for "other") is reopened and closed again for another reason;
    # K1 is closed, reopened and returns again, now.
    k8 = Case.objects.get(pk=cases["K8"].pk)
    case_transition(case=k8, to_status=S.CONTACTED, actor=national_admin)
    case_transition(case=k8, to_status=S.CLOSED, actor=national_admin, closed_reason="no_response")
    k1 = Case.objects.get(pk=k1.pk)
    for status in (S.CLOSED, S.CONTACTED, S.RETURNED):
        case_transition(case=k1, to_status=status, actor=national_admin, closed_reason="other")
    # After their return K1 and Z1 live in Latvia now, and K3 (open) plans for later: the
    # breakdowns by country and timeframe count the events as they were.
    for name in ("K1", "Z1"):
        returnee = cases[name].returnee
        returnee.country = "LV"
        returnee.save()
    k3 = Case.objects.get(pk=cases["K3"].pk)
    k3.timeframe = Case.Timeframe.YEARS_1_2
    k3.save()
    # K2 (returned in June 2022) and Z1 ask to be erased.
    for name in ("K2", "Z1"):
        returnee_erase(returnee=cases[name].returnee)
    import_later_year(client, kurzeme_coordinator, django_capture_on_commit_callbacks)
    assert Case.objects.filter(created_at__year=2024, status=S.RETURNED).count() == 3

    after = {name: every_figure(filters) for name, filters in scopes().items()}
    for name in before:
        assert after[name] == before[name], name
    countries = [row["label"] for row in after["national"]["breakdowns"]["country"]]
    assert "Latvia" not in countries


def test_the_changes_are_real_and_count_where_they_happened(national_admin):
    """The test above cannot pass by counting nothing: the same changes show in the period
    they happened in, for the region the case is in now."""
    cases = data.build()
    jelgava = factories.municipality(data.JELGAVA)
    k1 = Case.objects.get(pk=cases["K1"].pk)
    k1.planning_region, k1.municipality = jelgava.planning_region, jelgava
    k1.save()
    HouseholdMember.objects.create(returnee=k1.returnee, relation="child", birth_year=2024)
    for status in (S.CLOSED, S.CONTACTED, S.RETURNED):
        case_transition(case=k1, to_status=status, actor=national_admin, closed_reason="other")
    today = datetime.date.today()
    this_year = ReportFilters(
        datetime.date(today.year, 1, 1), today, regions=(factories.region("ZEM"),)
    )
    headline = report_build(this_year).headline
    # K1 returned again this year, in Zemgale, with the household it has now (3 members).
    assert (headline["returned"], headline["household_returned"]) == (1, 3)
    event = CaseEvent.objects.filter(case=k1, to_value=S.RETURNED).latest("created_at")
    assert (event.planning_region, event.municipality, event.household_size) == (
        jelgava.planning_region,
        jelgava,
        3,
    )


def test_an_offer_counts_where_the_case_was_when_it_was_prepared_and_sent(db):
    kurzeme_case = data.make_case((2022, 1, 10), municipality=data.LIEPAJA)
    offer = Offer.objects.create(case=kurzeme_case, created_at=data.at(2022, 2, 1))
    jelgava = factories.municipality(data.JELGAVA)
    kurzeme_case.planning_region, kurzeme_case.municipality = jelgava.planning_region, jelgava
    kurzeme_case.save()
    offer.status, offer.sent_at = Offer.Status.SENT, data.at(2022, 3, 1)
    offer.save(update_fields=["status", "sent_at"])
    offer.refresh_from_db()
    assert offer.prepared_region.code == "KUR"
    assert offer.sent_region.code == "ZEM"
    kurzeme = report_build(ReportFilters(*YEAR, regions=(factories.region("KUR"),))).headline
    zemgale = report_build(ReportFilters(*YEAR, regions=(factories.region("ZEM"),))).headline
    assert (kurzeme["offers_prepared"], kurzeme["offers_sent"]) == (1, 0)
    assert (zemgale["offers_prepared"], zemgale["offers_sent"]) == (0, 1)
