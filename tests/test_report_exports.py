"""Report exports: the same exact figures in XLSX, CSV and PDF; the streamed case-level CSV."""

import csv
import io
from datetime import timedelta
from io import StringIO
from urllib.parse import urlencode

import openpyxl
import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.module_loading import import_string
from django_tasks_db.models import DBTaskResult
from pypdf import PdfReader

from audit.models import AuditEntry
from jobs.schedule import SCHEDULE
from reports.exports import BOM
from reports.models import ReportExport
from reports.services import report_export_build, report_exports_prune
from tests import factories
from tests import report_data as data
from tests.conftest import DATABASE_TASKS

YEAR_2022 = {"date_from": "01.01.2022", "date_to": "31.12.2022"}


@pytest.fixture
def dataset(db):
    return data.build()


def en(name):
    with translation.override("en"):
        return reverse(name)


def lv(name):
    with translation.override("lv"):
        return reverse(name)


def test_xlsx_summary_has_the_headline_figures_filters_and_definitions(
    client, dataset, kurzeme_coordinator
):
    client.force_login(kurzeme_coordinator)
    response = client.get(en("reports:export_xlsx"), YEAR_2022)
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    summary = workbook["Summary"]
    values = {row[0]: row[1] for row in summary.iter_rows(values_only=True) if row[0]}
    assert values["Period"] == "01.01.2022 – 31.12.2022"
    assert values["Planning regions"] == "Kurzemes plānošanas reģions"
    assert values["New contacts"] == 4
    assert values["Intending to return"] == 2
    assert values["Individual offers prepared"] == 2
    assert values["Individual offers sent"] == 2
    assert values["Expressed the wish to return"] == 2
    assert values["Returned (cases)"] == 2
    assert values["Household members who returned with them"] == 3
    assert values["Returned"] == 5
    assert values["Median days from first contact to first offer"] == 14.0
    assert values["Median days from first contact to return"] == 161.0
    assert values["New contacts: phone"] == 1
    assert values["Closed: no response"] == 1
    definitions = [row[2] for row in summary.iter_rows(values_only=True) if len(row) > 2]
    assert any(d and d.startswith("Returned (cases): cases whose status") for d in definitions)
    new_contacts_row = next(r for r in summary.iter_rows() if r[0].value == "New contacts")
    assert new_contacts_row[1].number_format == "#,##0"
    assert summary.column_dimensions["A"].width > 20


def test_xlsx_has_one_sheet_per_breakdown_with_exact_rows(client, dataset, kurzeme_coordinator):
    client.force_login(kurzeme_coordinator)
    workbook = openpyxl.load_workbook(
        io.BytesIO(client.get(en("reports:export_xlsx"), YEAR_2022).content)
    )
    assert workbook.sheetnames == [
        "Summary",
        "By planning region",
        "By municipality of return",
        "By country of residence",
        "By need category",
        "By planned timeframe",
        "Trend by month",
        "Funnel",
    ]
    # Under the header rows (title, period, regions, municipality, export time, a blank row).
    rows = list(workbook["By municipality of return"].iter_rows(values_only=True))[6:]
    assert rows[0][0] == "Municipality"
    assert {row[0]: list(row[1:]) for row in rows[1:]} == {
        data.LIEPAJA: [2, 2, 2, 2, 2, 3, 5],
        data.VENTSPILS: [2, 0, 0, 0, 0, 0, 0],
        "Total": [4, 2, 2, 2, 2, 3, 5],
    }
    trend = list(workbook["Trend by month"].iter_rows(values_only=True))[6:]
    assert len(trend) == 14  # the heading, 12 months, the totals
    assert trend[5][0] == "05.2022"
    assert list(trend[5][1:]) == [0, 0, 0, 0, 1, 2, 3]
    assert list(trend[2][1:]) == [0, 1, 1, 1, 0, 0, 0]
    funnel = list(workbook["Funnel"].iter_rows(values_only=True))[6:]
    assert [row[1] for row in funnel[1:6]] == data.KURZEME_2022_FUNNEL
    assert funnel[2][3] == pytest.approx(0.25)


def test_csv_is_utf8_with_bom_and_has_the_headline_table(client, dataset, kurzeme_coordinator):
    client.force_login(kurzeme_coordinator)
    response = client.get(en("reports:export_csv"), YEAR_2022)
    text = response.content.decode("utf-8")
    assert text.startswith(BOM)
    rows = list(csv.reader(io.StringIO(text[1:]), delimiter=";"))
    assert rows[0] == ["Remigration report"]
    assert rows[6] == ["Figure", "Value", "Definition"]
    values = {row[0]: row[1] for row in rows[7:] if len(row) > 1}
    assert values["New contacts"] == "4"
    assert values["Returned"] == "5"
    assert values["Median days from first contact to return"] == "161,0"
    assert values["Closed: not returning"] == "1"


def test_latvian_csv_keeps_diacritics(client, dataset, kurzeme_coordinator):
    client.force_login(kurzeme_coordinator)
    raw = client.get(lv("reports:export_csv"), YEAR_2022).content
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8")[1:]), delimiter=";"))
    assert rows[1] == ["Periods", "01.01.2022 – 31.12.2022"]
    assert rows[6] == ["Rādītājs", "Vērtība", "Definīcija"]
    assert rows[7][0] == "Atgriezušies"


def test_exports_refuse_bad_input_with_a_message_not_a_file(client, dataset, kurzeme_coordinator):
    client.force_login(kurzeme_coordinator)
    bad = urlencode({**YEAR_2022, "region": "ZEM"})
    for method, name in (("get", "reports:export_xlsx"), ("get", "reports:export_csv"),
                         ("post", "reports:pdf_prepare")):  # fmt: skip
        response = getattr(client, method)(f"{en(name)}?{bad}", follow=True)
        assert response.redirect_chain
        html = response.content.decode()
        assert "The export was not made" in html
        assert "figure-value" not in html
    assert not ReportExport.objects.exists()


def test_case_export_streams_one_row_per_case_without_names_or_notes(
    client, dataset, national_admin
):
    kurzeme_case = dataset["K2"]
    kurzeme_case.returnee.town = "=HYPERLINK(1)"
    kurzeme_case.returnee.save()
    client.force_login(national_admin)
    response = client.get(en("reports:case_export"), YEAR_2022)
    assert response.streaming
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith(BOM)
    rows = list(csv.reader(io.StringIO(text[1:]), delimiter=";"))
    header, body = rows[0], rows[1:]
    # Created up to 31.12.2022: everything except K6 (2023).
    assert sorted(row[0] for row in body) == sorted(
        case.reference for name, case in dataset.items() if name != "K6"
    )
    k2 = next(row for row in body if row[0] == kurzeme_case.reference)
    columns = dict(zip(header, k2, strict=True))
    assert columns["Planning region"] == "KUR"
    assert columns["Status now"] == "returned"
    assert columns["Created"] == "20.01.2022"
    assert columns["First offer prepared"] == "03.02.2022"
    assert columns["First return"] == "15.06.2022"
    assert columns["Household members"] == "1"
    assert columns["Need: Work"] == "1"
    assert columns["Need: Housing"] == "0"
    for forbidden in (kurzeme_case.returnee.first_name, kurzeme_case.returnee.email, "HYPERLINK"):
        assert forbidden not in text


def test_case_export_escapes_formulae(client, db, national_admin):
    from municipalities.models import Municipality

    Municipality.objects.filter(name=data.LIEPAJA).update(name="=cmd|' /C calc'!A0")
    data.make_case((2022, 2, 2), municipality="=cmd|' /C calc'!A0")
    client.force_login(national_admin)
    response = client.get(en("reports:case_export"), YEAR_2022)
    text = b"".join(response.streaming_content).decode("utf-8")
    assert ";'=cmd|" in text


def test_case_export_is_for_national_admins_only(client, dataset, kurzeme_coordinator):
    client.force_login(kurzeme_coordinator)
    assert client.get(en("reports:case_export"), YEAR_2022).status_code == 403
    client.force_login(factories.AnalystFactory())
    assert client.get(en("reports:case_export"), YEAR_2022).status_code == 403


def test_xlsx_of_another_region_is_never_built_for_a_coordinator(
    client, dataset, zemgale_coordinator
):
    client.force_login(zemgale_coordinator)
    workbook = openpyxl.load_workbook(
        io.BytesIO(client.get(en("reports:export_xlsx"), YEAR_2022).content)
    )
    values = {row[0]: row[1] for row in workbook["Summary"].iter_rows(values_only=True) if row[0]}
    assert values["Planning regions"] == "Zemgales plānošanas reģions"
    assert values["New contacts"] == data.ZEMGALE_2022["new_contacts"]


def prepared_pdf(client, url, query, capture):
    """Ask for the PDF as the report page does, let the worker make it (the immediate backend
    runs the task on commit), and download it from the link the page then shows."""
    with capture(execute=True):
        asked = client.post(f"{url}?{urlencode(query)}")
    assert asked.status_code == 302
    page = client.get(asked.url)
    export = ReportExport.objects.filter(status=ReportExport.Status.READY).latest("created_at")
    link = reverse("reports:pdf_download", args=[export.pk])
    assert link in page.text
    return client.get(link)


def test_pdf_has_the_figures_charts_and_definitions(
    client, dataset, kurzeme_coordinator, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    import re

    from pypdf import PdfReader

    client.force_login(kurzeme_coordinator)
    response = prepared_pdf(client, en("reports:pdf_prepare"), YEAR_2022, capture)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    flat = re.sub(r"\s+", " ", text)
    assert "Remigration report" in flat
    assert "01.01.2022 – 31.12.2022" in flat
    assert "Kurzemes plānošanas reģions" in flat
    # Figure by figure (on the lines pdftotext -layout gives): tests/test_report_files_agree.py.
    for label in ("New contacts", "Intending to return", "Individual offers prepared", "Returned"):
        assert label in flat
    assert "161,0" in flat
    assert "Returned (cases): cases whose status changed to “returned” within the period" in flat
    assert "Liepājas valstspilsēta 2 2 2 2 2 3 5" in flat
    assert "From contact to return" in flat  # the funnel chart's caption


def test_case_export_is_written_to_the_audit_trail(client, dataset, national_admin):
    from audit.models import AuditEntry

    client.force_login(national_admin)
    response = client.get(en("reports:case_export"), YEAR_2022)
    b"".join(response.streaming_content)
    entry = AuditEntry.objects.get(action=AuditEntry.Action.EXPORT)
    assert entry.actor == national_admin
    assert entry.detail == "reports: case-level CSV 01.01.2022-31.12.2022"


# The PDF is made by the worker, kept 24 hours, for its requester only ----------------------


def no_pdf_here(html):
    raise AssertionError("the report PDF was rendered inside the web request")


@override_settings(TASKS=DATABASE_TASKS)
def test_the_page_only_asks_for_the_pdf_and_the_worker_makes_it(
    client, dataset, kurzeme_coordinator, monkeypatch, keep_test_connection,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    monkeypatch.setattr("common.pdf.render_pdf", no_pdf_here)
    client.force_login(kurzeme_coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        asked = client.post(f"{lv('reports:pdf_prepare')}?{urlencode(YEAR_2022)}", follow=True)

    assert [str(m) for m in asked.context["messages"]] == [
        "PDF tiek sagatavots. Pēc minūtes pārlādējiet šo lapu, lai to lejupielādētu no "
        "saraksta zemāk; tas būs pieejams 24 stundas."
    ]
    assert "Fails tiek sagatavots — pēc minūtes pārlādējiet lapu." in asked.text
    assert "figure-value" in asked.text  # back on the same report
    export = ReportExport.objects.get()
    assert (export.status, bytes(export.content)) == (ReportExport.Status.PENDING, b"")
    assert export.query == "date_from=01.01.2022&date_to=31.12.2022"
    assert export.language == "lv"
    assert DBTaskResult.objects.ready().get().task_path == "reports.tasks.report_export_build_task"
    monkeypatch.undo()
    monkeypatch.setattr(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    )

    call_command("worker", "--once", stdout=StringIO())

    export.refresh_from_db()
    assert export.status == ReportExport.Status.READY
    assert export.filename == "remigration-report-2022-01-01-2022-12-31.pdf"
    page = client.get(lv("reports:report"))
    link = reverse("reports:pdf_download", args=[export.pk])
    assert link in page.text and "01.01.2022 – 31.12.2022" in page.text
    download = client.get(link)
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"] == f'attachment; filename="{export.filename}"'
    reader = PdfReader(io.BytesIO(download.content))
    text = "\n".join(sheet.extract_text() for sheet in reader.pages)
    assert "Remigrācijas pārskats" in text  # the language of the page it was asked on
    entry = AuditEntry.objects.get(action=AuditEntry.Action.DOWNLOAD)
    assert entry.actor == kurzeme_coordinator
    assert entry.detail == "reports: PDF 01.01.2022-31.12.2022"


@pytest.fixture
def ready_pdf(client, dataset, kurzeme_coordinator, django_capture_on_commit_callbacks):
    client.force_login(kurzeme_coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"{en('reports:pdf_prepare')}?{urlencode(YEAR_2022)}")
    client.logout()
    export = ReportExport.objects.get(status=ReportExport.Status.READY)
    return export, reverse("reports:pdf_download", args=[export.pk])


def test_only_the_user_who_asked_may_download_the_pdf(
    client, ready_pdf, kurzeme_coordinator, zemgale_coordinator, national_admin
):
    export, link = ready_pdf
    colleague = factories.CoordinatorFactory(username="kurzeme2")  # same region, did not ask
    for user, status in [
        (colleague, 404), (zemgale_coordinator, 404), (national_admin, 404),
        (factories.SpecialistFactory(), 403), (kurzeme_coordinator, 200),
    ]:  # fmt: skip
        client.force_login(user)
        assert client.get(link).status_code == status, user
    client.force_login(colleague)
    assert link not in client.get(en("reports:report")).text
    assert AuditEntry.objects.filter(action=AuditEntry.Action.DOWNLOAD).count() == 1


def test_after_24_hours_the_pdf_is_gone_and_the_daily_job_deletes_it(
    client, ready_pdf, kurzeme_coordinator
):
    export, link = ready_pdf
    client.force_login(kurzeme_coordinator)
    assert report_exports_prune() == 0
    ReportExport.objects.filter(pk=export.pk).update(expires_at=timezone.now())

    assert client.get(link).status_code == 404
    assert link not in client.get(en("reports:report")).text
    assert report_exports_prune(now=timezone.now() + timedelta(seconds=1)) == 1
    job = next(job for job in SCHEDULE if job.name == "report_exports_prune")
    assert import_string(job.function) is report_exports_prune


def test_a_pdf_that_cannot_be_made_is_marked_failed(
    client, dataset, kurzeme_coordinator, monkeypatch
):
    client.force_login(kurzeme_coordinator)
    client.post(f"{en('reports:pdf_prepare')}?{urlencode(YEAR_2022)}")  # no commit: not run
    export = ReportExport.objects.get()
    monkeypatch.setattr("common.pdf.render_pdf", lambda html: 1 / 0)

    with pytest.raises(ZeroDivisionError):  # so the worker records the task as failed
        report_export_build(export_id=str(export.pk))

    export.refresh_from_db()
    assert export.status == ReportExport.Status.FAILED and bytes(export.content) == b""
    assert "Ask again; if it fails again" in client.get(en("reports:report")).text


def test_the_pdf_is_made_with_the_scope_of_the_user_as_it_is_when_it_is_made(
    client, dataset, kurzeme_coordinator
):
    """A coordinator moved to Zemgale after asking gets no Kurzeme figures from the worker."""
    client.force_login(kurzeme_coordinator)
    query = urlencode({**YEAR_2022, "region": "KUR"})
    client.post(f"{en('reports:pdf_prepare')}?{query}")
    export = ReportExport.objects.get()
    kurzeme_coordinator.planning_region = factories.region("ZEM")
    kurzeme_coordinator.save()

    with pytest.raises(ValueError):
        report_export_build(export_id=str(export.pk))

    assert ReportExport.objects.get().status == ReportExport.Status.FAILED
