"""The history import against files and uploads made to hurt: a workbook that unpacks to a
lot, a sheet wider than its header, broken XML, rows longer than the header, an address too
long for the database, and a file that asks which addresses are registered."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from audit.models import AuditEntry
from imports import reading
from imports.models import ImportJob
from imports.services import jobs
from imports.services.check import EMAIL_TAKEN_MORE, stored
from imports.services.rows import EMAIL_TAKEN, EMAIL_TAKEN_NAMED, TOO_LONG
from tests import factories
from tests.import_files import csv_bytes, good_row, xlsx_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def upload(client, django_capture_on_commit_callbacks):
    def send(user, content, name="history.csv"):
        client.force_login(user)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                reverse("imports:upload"), {"file": SimpleUploadedFile(name, content)}
            )
        return response, ImportJob.objects.filter(requested_by=user).first()

    return send


def problems_of(job):
    return [(problem["row"], problem["column"], problem["message"]) for problem in job.problems]


def test_a_workbook_that_unpacks_to_too_much_is_refused_before_it_is_opened(
    upload, kurzeme_coordinator, monkeypatch
):
    monkeypatch.setattr(reading, "MAX_UNPACKED_BYTES", 1000)

    _response, job = upload(kurzeme_coordinator, xlsx_bytes([good_row(1)]), name="h.xlsx")

    assert job.status == ImportJob.Status.INVALID
    assert problems_of(job) == [(0, "", stored(reading.FILE_TOO_BIG_UNPACKED))]


def test_a_sheet_is_read_no_wider_than_its_header():
    workbook = Workbook()
    sheet = workbook.worksheets[0]
    sheet.append(["first_name", "last_name"])
    sheet.append(["Ilze", "Bērziņa"])
    sheet.cell(row=3, column=5000, value="far away")
    output = io.BytesIO()
    workbook.save(output)

    header, rows = reading.read_table(output.getvalue())

    width = 2 + reading.EXTRA_COLUMNS  # not the 5,000 columns the sheet declares
    assert header[:2] == ["first_name", "last_name"] and len(header) == width
    assert {len(row) for row in rows} == {width}


def test_a_workbook_with_broken_sheet_xml_is_a_problem_of_the_file(upload, kurzeme_coordinator):
    source = zipfile.ZipFile(io.BytesIO(xlsx_bytes([good_row(1)])))
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as broken:
        for member in source.infolist():
            data = source.read(member)
            if member.filename == "xl/worksheets/sheet1.xml":
                data = data[: len(data) // 2]  # cut in the middle of a row
            broken.writestr(member, data)

    response, job = upload(kurzeme_coordinator, output.getvalue(), name="h.xlsx")

    assert response.status_code == 302
    assert job.status == ImportJob.Status.INVALID
    assert problems_of(job) == [(0, "", stored(reading.FILE_UNREADABLE))]


def test_rows_longer_than_the_header_are_read(upload, kurzeme_coordinator):
    header, row = csv_bytes([good_row(1)]).decode().splitlines()
    content = f"{header}\r\n{row},extra,cells\r\n".encode()

    _response, job = upload(kurzeme_coordinator, content)

    assert job.status == ImportJob.Status.READY, job.problems


def test_an_address_too_long_for_the_database_is_a_problem_of_its_cell(upload, kurzeme_coordinator):
    address = "a" * 64 + "@" + ".".join(["b" * 62] * 3) + ".lv"  # 256 characters, a valid form
    assert len(address) > 254

    _response, job = upload(kurzeme_coordinator, csv_bytes([good_row(1, email=address)]))

    assert problems_of(job) == [(2, "email", stored(TOO_LONG))]


def test_a_file_learns_only_a_few_rows_of_registered_addresses_and_the_trail_says_so(
    upload, kurzeme_coordinator
):
    count = EMAIL_TAKEN_NAMED + 5
    for number in range(count):
        factories.ReturneeFactory(email=f"ilze{number}@example.com")
    rows = [good_row(number) for number in range(count)]

    _response, job = upload(kurzeme_coordinator, csv_bytes(rows))

    problems = problems_of(job)
    named = [problem for problem in problems if problem[2] == stored(EMAIL_TAKEN)]
    assert len(named) == EMAIL_TAKEN_NAMED
    assert (0, "email", stored(EMAIL_TAKEN_MORE)) in problems
    more = next(problem for problem in job.problems if problem["row"] == 0)
    assert more["params"] == {"count": 5}
    entry = AuditEntry.objects.get(action="view", actor=kurzeme_coordinator)
    assert entry.detail == f"history import check: {count} e-mail addresses already registered"


def test_uploads_are_limited_per_user_and_day(upload, client, kurzeme_coordinator, monkeypatch):
    monkeypatch.setattr(jobs, "UPLOADS_PER_DAY", 2)
    for number in (1, 2):
        response, _job = upload(kurzeme_coordinator, csv_bytes([good_row(number)]))
        assert response.status_code == 302
    # Discarding does not give the uploads back: they are counted on the audit trail.
    ImportJob.objects.all().delete()

    response, _job = upload(kurzeme_coordinator, csv_bytes([good_row(3)]))

    assert response.status_code == 200
    assert "24" in response.content.decode()
    assert not ImportJob.objects.exists()
    other = factories.CoordinatorFactory(planning_region=factories.region("ZEM"))
    response, _job = upload(other, csv_bytes([good_row(4, planning_region="ZEM",
                                                       municipality="")]))  # fmt: skip
    assert response.status_code == 302
