"""A small history with answers worked out by hand (tests/report_data.py), read back from the
page, the XLSX, the CSV and the PDF's text (pdftotext -layout) figure by figure: the
ministry's headline figures and every column of every breakdown table and of the trend.
Each file also says what it covers: the period, the scope and when it was exported."""

import csv
import io
import re
import subprocess  # nosec B404 - pdftotext on a file the test made
import tempfile

import openpyxl
import pytest
from django.urls import reverse
from django.utils import translation

from audit.models import AuditEntry
from tests import report_data as data
from tests.test_report_exports import prepared_pdf
from tests.test_reports import breakdown_rows, figures

YEAR_2022 = {"date_from": "01.01.2022", "date_to": "31.12.2022"}
REGION = "Kurzemes plānošanas reģions"
# Kurzeme 2022: the ministry's five, in the words the regions use, then the other headlines.
HEADLINE = {
    "Returned": 5,
    "Expressed the wish to return": 2,
    "Intending to return": 2,
    "Individual offers prepared": 2,
    "Individual offers sent": 2,
    "New contacts": 4,
    "Returned (cases)": 2,
    "Household members who returned with them": 3,
}
# Columns: new contacts, offers prepared, offers sent, wish, returned, household, people.
BREAKDOWNS = {
    "By planning region": {REGION: [4, 2, 2, 2, 2, 3, 5]},
    "By municipality of return": {
        data.LIEPAJA: [2, 2, 2, 2, 2, 3, 5],
        data.VENTSPILS: [2, 0, 0, 0, 0, 0, 0],
    },
    "By country of residence": {
        "United Kingdom": [1, 0, 0, 1, 1, 2, 3],
        "Ireland": [1, 2, 2, 1, 1, 1, 2],
        "Germany": [1, 0, 0, 0, 0, 0, 0],
        "Norway": [1, 0, 0, 0, 0, 0, 0],
    },
    "By need category": {
        "Housing": [0, 0, 0, 1, 1, 2, 3],
        "Family services and education": [1, 2, 2, 1, 1, 1, 2],
        "Work": [2, 2, 2, 1, 1, 1, 2],
        "no needs recorded": [2, 0, 0, 0, 0, 0, 0],
    },
    "By planned timeframe": {
        "within 6 months": [3, 2, 2, 2, 2, 3, 5],
        "in 1–2 years": [1, 0, 0, 0, 0, 0, 0],
    },
}
BREAKDOWN_KEYS = dict(
    zip(BREAKDOWNS, ["region", "municipality", "country", "need", "timeframe"], strict=True)
)
ZERO = [0] * 7
TOTALS = [4, 2, 2, 2, 2, 3, 5]
TREND = {
    "01.2022": [1, 0, 0, 0, 0, 0, 0],
    "02.2022": [0, 1, 1, 1, 0, 0, 0],
    "03.2022": [1, 1, 0, 1, 0, 0, 0],
    "04.2022": [0, 0, 1, 0, 0, 0, 0],
    "05.2022": [0, 0, 0, 0, 1, 2, 3],
    "06.2022": [1, 0, 0, 0, 1, 1, 2],
    **{f"{month:02}.2022": ZERO for month in range(7, 12)},
    "12.2022": [1, 0, 0, 0, 0, 0, 0],
}


def totals(rows):
    """The totals row: the sum of the rows (the headline's figures, except for the needs,
    where a case with several needs counts under each)."""
    return [sum(column) for column in zip(*rows.values(), strict=True)]


@pytest.fixture
def dataset(db):
    return data.build()


def en(name):
    with translation.override("en"):
        return reverse(name)


def test_page_shows_the_known_answers(client, dataset, kurzeme_coordinator):
    client.force_login(kurzeme_coordinator)
    page = client.get(en("reports:report"), YEAR_2022)
    shown = figures(page)
    keys = {
        "Returned": "people_returned",
        "Expressed the wish to return": "wish_to_return",
        "Intending to return": "active",
        "Individual offers prepared": "offers_prepared",
        "Individual offers sent": "offers_sent",
        "New contacts": "new_contacts",
        "Returned (cases)": "returned",
        "Household members who returned with them": "household_returned",
    }
    assert {label: shown[key] for label, key in keys.items()} == HEADLINE
    for title, rows in BREAKDOWNS.items():
        assert breakdown_rows(page, BREAKDOWN_KEYS[title]) == rows, title
    assert breakdown_rows(page, "trend") == TREND
    # The ministry's figures come first, each with its definition beside it.
    html = page.content.decode()
    labels = re.findall(
        r'class="ministry-figure" data-figure="\w+">\s*<th scope="row">([^<]*)<span', html
    )
    assert labels == list(HEADLINE)[:5]
    assert "Intending to return: people still in contact at the end of the period" in html


def test_xlsx_has_the_known_answers_header_rows_totals_and_filters(
    client, dataset, kurzeme_coordinator
):
    client.force_login(kurzeme_coordinator)
    workbook = openpyxl.load_workbook(
        io.BytesIO(client.get(en("reports:export_xlsx"), YEAR_2022).content)
    )
    summary = {row[0]: row[1] for row in workbook["Summary"].iter_rows(values_only=True)}
    assert {label: summary[label] for label in HEADLINE} == HEADLINE
    for title, expected in [*BREAKDOWNS.items(), ("Trend by month", TREND)]:
        sheet = workbook[title]
        rows = list(sheet.iter_rows(values_only=True))
        header = {row[0]: row[1] for row in rows[1:5]}
        assert header["Period"] == "01.01.2022 – 31.12.2022", title
        assert header["Planning regions"] == REGION
        assert header["Municipality"] == "all municipalities"
        assert re.fullmatch(r"\d\d\.\d\d\.\d{4} \d\d:\d\d", header["Exported"])
        start = next(index for index, row in enumerate(rows) if row[1] == "New contacts")
        table = {row[0]: list(row[1:8]) for row in rows[start + 1 :]}
        assert table.pop("Total") == totals(expected), title
        assert table == expected, title
        assert sheet.auto_filter.ref == f"A{start + 1}:H{start + 1 + len(expected)}"


def csv_tables(text):
    """The CSV's header rows, headline figures and tables (title → {label: figures})."""
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff")), delimiter=";"))
    header = {row[0]: row[1] for row in rows[1:5]}
    blocks, block = [], []
    for row in rows[6:]:
        if not row:
            blocks.append(block)
            block = []
        else:
            block.append(row)
    blocks.append(block)
    headline = {row[0]: row[1] for row in blocks[0][1:]}
    tables = {
        block[0][0]: {row[0]: [int(value) for value in row[1:]] for row in block[2:]}
        for block in blocks[1:]
    }
    return rows[0], header, headline, tables


def test_csv_has_the_known_answers_and_says_what_it_covers(client, dataset, kurzeme_coordinator):
    client.force_login(kurzeme_coordinator)
    text = client.get(en("reports:export_csv"), YEAR_2022).content.decode("utf-8")
    title, header, headline, tables = csv_tables(text)
    assert title == ["Remigration report"]
    assert header["Period"] == "01.01.2022 – 31.12.2022"
    assert header["Planning regions"] == REGION
    assert re.fullmatch(r"\d\d\.\d\d\.\d{4} \d\d:\d\d", header["Exported"])
    assert {label: int(headline[label]) for label in HEADLINE} == HEADLINE
    for name, expected in [*BREAKDOWNS.items(), ("Trend by month", TREND)]:
        table = dict(tables[name])
        assert table.pop("Total") == totals(expected), name
        assert table == expected, name


def pdf_text(content):
    with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
        file.write(content)
        file.flush()
        return subprocess.run(  # noqa: S603 # nosec B603 B607 - a fixed command, our own file
            ["/usr/bin/pdftotext", "-layout", file.name, "-"],
            capture_output=True,
            check=True,
            text=True,
        ).stdout


def test_pdf_text_has_every_column_of_every_table(
    client, dataset, kurzeme_coordinator, django_capture_on_commit_callbacks
):
    client.force_login(kurzeme_coordinator)
    response = prepared_pdf(
        client, en("reports:pdf_prepare"), YEAR_2022, django_capture_on_commit_callbacks
    )
    text = pdf_text(response.content)
    pages = text.split("\f")
    for label, value in HEADLINE.items():
        assert re.search(rf"^\s*{re.escape(label)}\s+{value}\s", text, re.M), label
    for rows in [*BREAKDOWNS.values(), TREND]:
        for label, values in rows.items():
            line = rf"^\s*{re.escape(label)}\s+" + r"\s+".join(str(v) for v in values) + r"\s*$"
            assert re.search(line, text, re.M), label
    # Every page names the period, the region and the day of the export at its top.
    for page in pages:
        if page.strip():
            top = " ".join(page.strip().splitlines()[:2])
            assert "01.01.2022 – 31.12.2022" in top
            assert REGION in top
            assert "Exported" in top


def test_every_report_export_leaves_an_audit_row(
    client, dataset, kurzeme_coordinator, django_capture_on_commit_callbacks
):
    client.force_login(kurzeme_coordinator)
    client.get(en("reports:export_xlsx"), YEAR_2022)
    client.get(en("reports:export_csv"), YEAR_2022)
    prepared_pdf(client, en("reports:pdf_prepare"), YEAR_2022, django_capture_on_commit_callbacks)
    details = list(
        AuditEntry.objects.filter(actor=kurzeme_coordinator)
        .exclude(action=AuditEntry.Action.LOGIN)
        .order_by("id")
        .values_list("action", "detail")
    )
    assert details == [
        (AuditEntry.Action.EXPORT, "reports: XLSX 01.01.2022-31.12.2022"),
        (AuditEntry.Action.EXPORT, "reports: CSV 01.01.2022-31.12.2022"),
        (AuditEntry.Action.EXPORT, "reports: PDF asked 01.01.2022-31.12.2022"),
        (AuditEntry.Action.DOWNLOAD, "reports: PDF 01.01.2022-31.12.2022"),
    ]


def test_a_long_period_is_shown_by_year_and_a_medium_one_by_quarter(
    client, dataset, kurzeme_coordinator
):
    client.force_login(kurzeme_coordinator)
    since_start = client.get(
        en("reports:report"), {"date_from": "01.03.2018", "date_to": "31.12.2023"}
    )
    by_year = breakdown_rows(since_start, "trend")
    assert list(by_year) == ["2018", "2019", "2020", "2021", "2022", "2023"]
    assert by_year["2022"] == TOTALS  # the year's points add up to the year's figures
    assert "Trend by year" in since_start.text
    three_years = client.get(
        en("reports:report"), {"date_from": "01.01.2021", "date_to": "31.12.2023"}
    )
    by_quarter = breakdown_rows(three_years, "trend")
    assert len(by_quarter) == 12
    assert by_quarter["2022 Q2"] == [
        sum(column) for column in zip(*[TREND[f"0{m}.2022"] for m in (4, 5, 6)], strict=True)
    ]


def test_any_date_range_besides_the_presets(client, dataset, kurzeme_coordinator):
    client.force_login(kurzeme_coordinator)
    page = client.get(en("reports:report"), {"date_from": "15.03.2022", "date_to": "14.06.2022"})
    assert 'data-filter="period">15.03.2022 – 14.06.2022</dd>' in page.text
    # K3 came on 05.03 (outside), K4 on 01.06; K1 returned on 05.05, K2 on 15.06 (outside).
    assert figures(page)["new_contacts"] == 1
    assert figures(page)["returned"] == 1
    assert breakdown_rows(page, "trend")["05.2022"] == [0, 0, 0, 0, 1, 2, 3]
    refused = client.get(en("reports:report"), {"date_from": "31.02.2022", "date_to": "14.06.2022"})
    assert 'value="31.02.2022"' in refused.text  # what was typed stays in the field
    assert "figure-value" not in refused.text
