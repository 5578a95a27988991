"""A national administrator closes a reporting period: its figures are stored as submitted
(national and per region), its report shows them with "closed on ... by ...", and later
changes show as corrections since closing (live − stored), never as a silent change; the
exports say so and carry both. Reopening needs a reason and is audited. Regional staff read
the closed periods but cannot close or reopen them."""

import csv
import datetime
import io
import re

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone, translation

from audit.models import AuditEntry
from coordinators.models import Case
from reports.exports import report_pdf
from reports.figures.filters import ReportFilters
from reports.models import ClosedPeriod
from reports.selectors import report_for
from tests import factories
from tests import report_data as data
from tests.test_report_files_agree import pdf_text
from tests.test_reports import breakdown_rows, figures

pytestmark = pytest.mark.django_db
YEAR_2022 = {"date_from": "01.01.2022", "date_to": "31.12.2022"}
KURZEME = "Kurzemes plānošanas reģions"


def en(name, *args):
    with translation.override("en"):
        return reverse(name, args=args)


@pytest.fixture
def dataset(db):
    return data.build()


@pytest.fixture
def close_2022(django_capture_on_commit_callbacks):
    """Close 2022 as the periods page does, and let the worker store its figures (the
    immediate backend runs the task as the request's transaction commits)."""

    def close(client, admin):
        client.force_login(admin)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(en("reports:periods"), YEAR_2022)
        assert response.status_code == 302, response.content.decode()[:2000]
        return ClosedPeriod.objects.in_force().get()

    return close


def return_k3_in_november(cases):
    """A correction after the closing: K3 (Kurzeme, Ventspils, open at the end of 2022) is
    recorded as returned on 01.11.2022, as a late entry of the history would."""
    data.move(Case.objects.get(pk=cases["K3"].pk), Case.Status.RETURNED, (2022, 11, 1))


def corrections(response, key):
    """A closed report's corrections table of the breakdown `key`: {label: [signed figures]}."""
    html = response.content.decode()
    table = re.search(rf'data-corrections="{key}">(.*?)</table>', html, re.S).group(1)
    return {
        label: [int(value) for value in re.findall(r'<td class="number">([+-]?\d+)\s*</td>', cells)]
        for label, cells in re.findall(r'<tr><th scope="row">([^<]*)</th>(.*?)</tr>', table, re.S)
    }


def headline_corrections(response):
    html = response.content.decode()
    rows = re.findall(
        r'data-figure="(\w+)">.*?<td class="number figure-correction">([^<]*)</td>', html, re.S
    )
    return {key: float(value.strip().replace(",", ".")) for key, value in rows}


def test_national_admin_closes_a_year_and_its_report_shows_the_stored_figures(
    client, close_2022, dataset, national_admin
):
    period = close_2022(client, national_admin)
    assert (period.date_from, period.date_to) == (
        datetime.date(2022, 1, 1),
        datetime.date(2022, 12, 31),
    )
    assert set(period.figures) == {"national", "KUR", "ZEM", "RIG", "VID", "LAT"}
    assert (
        period.figures["KUR"]["headline"]["people_returned"] == data.KURZEME_2022["people_returned"]
    )
    assert period.figures["national"]["headline"]["active"] == data.NATIONAL_2022["active"]
    entry = AuditEntry.objects.get(action=AuditEntry.Action.PERIOD_CLOSED)
    assert (entry.actor, entry.object_id) == (national_admin, str(period.pk))

    page = client.get(en("reports:report"), YEAR_2022)
    closed_on = f"{timezone.localtime(period.closed_at):%d.%m.%Y}"  # the page: local
    assert f"Closed on {closed_on} by" in page.text
    assert 'data-closed="stored"' in page.text
    assert 'data-corrections="none"' in page.text
    assert {key: figures(page)[key] for key in data.NATIONAL_2022} == data.NATIONAL_2022
    assert set(headline_corrections(page).values()) == {0}


def test_later_changes_show_as_corrections_since_closing_never_silently(
    client, close_2022, dataset, national_admin, kurzeme_coordinator
):
    close_2022(client, national_admin)
    return_k3_in_november(dataset)

    client.force_login(kurzeme_coordinator)
    page = client.get(en("reports:report"), YEAR_2022)
    shown = figures(page)
    # The submitted figures stay as they were ...
    for key in ("people_returned", "returned", "active", "new_contacts", "offers_prepared"):
        assert shown[key] == data.KURZEME_2022[key], key
    # ... and the change is shown beside them, figure by figure (live − submitted).
    changed = headline_corrections(page)
    assert (changed["people_returned"], changed["returned"], changed["active"]) == (1, 1, -1)
    assert changed["household_returned"] == changed["new_contacts"] == 0
    assert 'data-corrections="yes"' in page.text
    one_more_return = [0, 0, 0, 0, 1, 0, 1]
    assert breakdown_rows(page, "region") == {KURZEME: [4, 2, 2, 2, 2, 3, 5]}
    assert corrections(page, "region") == {KURZEME: one_more_return}
    assert corrections(page, "municipality") == {data.VENTSPILS: one_more_return}
    assert corrections(page, "country") == {"Germany": one_more_return}
    assert corrections(page, "need") == {"Work": one_more_return}
    assert corrections(page, "timeframe") == {"within 6 months": one_more_return}
    assert corrections(page, "trend") == {"11.2022": one_more_return}
    # The whole country's report has the same correction.
    client.force_login(national_admin)
    national = client.get(en("reports:report"), YEAR_2022)
    assert figures(national)["people_returned"] == data.NATIONAL_2022["people_returned"]
    assert headline_corrections(national)["people_returned"] == 1


def test_exports_of_a_closed_period_say_so_and_carry_both(
    client, close_2022, dataset, national_admin, kurzeme_coordinator
):
    close_2022(client, national_admin)
    return_k3_in_november(dataset)
    client.force_login(kurzeme_coordinator)

    text = client.get(en("reports:export_csv"), YEAR_2022).content.decode("utf-8")
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff")), delimiter=";"))
    header = {row[0]: row[1] for row in rows[1:8] if len(row) > 1}
    assert re.fullmatch(r"\d\d\.\d\d\.\d{4} by .+", header["Period closed"])
    assert "corrections since closing shown apart" in header["Figures"]
    headings = next(row for row in rows if row and row[0] == "Figure")
    assert headings == ["Figure", "Value", "Corrections since closing", "Definition"]
    returned = next(row for row in rows if row and row[0] == "Returned")
    assert returned[1:3] == ["5", "+1"]
    title = next(
        i for i, row in enumerate(rows) if row == ["By planning region: Corrections since closing"]
    )
    assert rows[title + 1] == [KURZEME, "0", "0", "0", "0", "+1", "0", "+1"]

    workbook = openpyxl.load_workbook(
        io.BytesIO(client.get(en("reports:export_xlsx"), YEAR_2022).content)
    )
    summary = list(workbook["Summary"].iter_rows(values_only=True))
    assert any(row[0] == "Period closed" for row in summary)
    returned = next(row for row in summary if row[0] == "Returned")
    assert returned[1:3] == (5, 1)
    sheet = list(workbook["By planning region"].iter_rows(values_only=True))
    start = next(i for i, row in enumerate(sheet) if row[0] == "Corrections since closing")
    assert sheet[start + 2] == (KURZEME, 0, 0, 0, 0, 1, 0, 1)

    filters = ReportFilters(
        *[datetime.date(2022, 1, 1), datetime.date(2022, 12, 31)],
        regions=(factories.region("KUR"),),
    )
    with translation.override("en"):
        pdf = pdf_text(report_pdf(report_for(filters)))
    assert "Closed on" in pdf
    assert "Corrections since closing" in pdf
    assert re.search(rf"^\s*{KURZEME}\s+0\s+0\s+0\s+0\s+\+1\s+0\s+\+1\s*$", pdf, re.M)
    assert re.search(rf"^\s*{KURZEME}\s+4\s+2\s+2\s+2\s+2\s+3\s+5\s*$", pdf, re.M)


def test_a_municipality_report_of_a_closed_period_says_its_figures_are_live(
    client, close_2022, dataset, national_admin, kurzeme_coordinator
):
    close_2022(client, national_admin)
    client.force_login(kurzeme_coordinator)
    liepaja = factories.municipality(data.LIEPAJA)
    page = client.get(en("reports:report"), {**YEAR_2022, "municipality": liepaja.pk})
    assert 'data-closed="live"' in page.text
    assert "figure-correction" not in page.text


def test_regional_staff_read_the_closed_periods_but_cannot_close_or_reopen(
    client, close_2022, dataset, national_admin, kurzeme_coordinator, kurzeme_analyst
):
    period = close_2022(client, national_admin)
    for user in (kurzeme_coordinator, kurzeme_analyst):
        client.force_login(user)
        listing = client.get(en("reports:periods"))
        assert listing.status_code == 200
        assert "01.01.2022 – 31.12.2022" in listing.text
        assert "Close the period" not in listing.text
        assert (
            client.post(
                en("reports:periods"), {"date_from": "01.01.2021", "date_to": "31.12.2021"}
            ).status_code
            == 403
        )
        assert (
            client.post(en("reports:period_reopen", period.pk), {"reason": "x"}).status_code == 403
        )
    assert ClosedPeriod.objects.count() == 1
    assert ClosedPeriod.objects.in_force().count() == 1


@pytest.mark.parametrize(
    ("typed", "error"),
    [
        ({"date_from": "01.01.2022", "date_to": "31.12.2099"}, "only after it has ended"),
        ({"date_from": "01.02.2022", "date_to": "01.01.2022"}, "before its start"),
        ({"date_from": "31.02.2022", "date_to": "01.03.2022"}, "Enter a valid date."),
        ({"date_from": "01.01.2017", "date_to": "31.12.2017"}, "01.03.2018"),
    ],
)
def test_a_period_that_cannot_be_closed_gets_a_field_error_and_keeps_what_was_typed(
    client, national_admin, typed, error
):
    client.force_login(national_admin)
    response = client.post(en("reports:periods"), typed)
    assert response.status_code == 200
    assert error in response.text
    assert f'value="{typed["date_from"]}"' in response.text
    assert not ClosedPeriod.objects.exists()


def test_a_closed_period_cannot_be_closed_twice(client, close_2022, dataset, national_admin):
    close_2022(client, national_admin)
    again = client.post(en("reports:periods"), YEAR_2022)
    assert again.status_code == 200
    assert "This period is already closed." in again.text
    assert ClosedPeriod.objects.count() == 1


def test_reopening_needs_a_reason_is_audited_and_brings_back_the_live_figures(
    client, close_2022, dataset, national_admin, django_capture_on_commit_callbacks
):
    period = close_2022(client, national_admin)
    return_k3_in_november(dataset)
    url = en("reports:period_reopen", period.pk)
    assert client.get(url).status_code == 200
    refused = client.post(url, {"reason": "  "})
    assert refused.status_code == 200
    assert "This field is required." in refused.text or "Say why" in refused.text
    reopened = client.post(url, {"reason": "K3's return was recorded late"})
    assert reopened.status_code == 302
    period.refresh_from_db()
    assert period.reopened_by == national_admin
    assert period.reopen_reason == "K3's return was recorded late"
    entry = AuditEntry.objects.get(action=AuditEntry.Action.PERIOD_REOPENED)
    assert entry.object_id == str(period.pk)
    assert "K3" not in entry.detail
    page = client.get(en("reports:report"), YEAR_2022)
    assert "data-closed" not in page.text
    assert figures(page)["people_returned"] == data.NATIONAL_2022["people_returned"] + 1
    # A reopened period is not reopened again, and may be closed anew with today's figures.
    assert client.post(url, {"reason": "again"}).status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        close_again = client.post(en("reports:periods"), YEAR_2022)
    assert close_again.status_code == 302
    assert ClosedPeriod.objects.in_force().get().figures["KUR"]["headline"]["people_returned"] == 6
