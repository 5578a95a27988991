"""The history import: who may import what, the dry run, the import, re-import, the file
forms, and the pages (tests/test_history_import_reports.py: the report figures)."""

import datetime
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEntry
from coordinators.models import Case, CaseEvent, Interaction, ReferenceSequence, Returnee
from imports.models import ImportJob
from imports.services import rows as row_messages
from imports.services.check import stored
from imports.services.jobs import SAME_FILE, import_jobs_prune
from imports.values import DATE_AMBIGUOUS, DATE_FUTURE
from municipalities.models import PlanningRegion
from offers.models import Offer
from privacy.services import returnee_erase
from tests import factories
from tests.import_files import csv_bytes, good_row, xlsx_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def upload(client, django_capture_on_commit_callbacks):
    """Upload a file as `user`; the check runs at once (the immediate task backend)."""

    def send(user, content, name="history.csv", **data):
        client.force_login(user)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                reverse("imports:upload"),
                {"file": SimpleUploadedFile(name, content), **data},
            )
        job = ImportJob.objects.filter(requested_by=user).first()
        return response, job

    return send


@pytest.fixture
def confirm(client, django_capture_on_commit_callbacks):
    def send(job):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("imports:start", args=[job.pk]))
        job.refresh_from_db()
        return response, job

    return send


def problems_of(job):
    return {(problem["row"], problem["column"]): problem["message"] for problem in job.problems}


def test_coordinator_imports_a_file_after_the_dry_run(upload, confirm, client, kurzeme_coordinator):
    response, job = upload(kurzeme_coordinator, csv_bytes([good_row(1), good_row(2)]))

    assert response.status_code == 302
    assert job.status == ImportJob.Status.READY, job.problems
    assert Case.objects.count() == 0  # the dry run writes nothing
    page = client.get(reverse("imports:job", args=[job.pk]))
    assert "Bērziņa1" in page.content.decode()
    assert job.summary["counts"]["cases"] == 2

    _response, job = confirm(job)

    assert job.status == ImportJob.Status.DONE
    case = Case.objects.get(legacy_reference="KURZ-1")
    assert case.reference == f"KUR-2020-{1:05d}"
    assert case.status == Case.Status.OFFER_SENT
    assert case.planning_region.code == "KUR"
    created = case.events.get(kind=CaseEvent.Kind.CREATED)
    assert created.note.startswith("Imported from history.csv by") or "history.csv" in created.note
    assert created.created_at.date() == datetime.date(2020, 3, 12)
    assert list(
        case.events.filter(kind="status_changed")
        .order_by("created_at")
        .values_list("to_value", flat=True)
    ) == ["contacted", "offer_preparation", "offer_sent"]
    offer = case.offers.get()
    assert (offer.status, offer.imported) == (Offer.Status.SENT, True)
    assert case.returnee.consent_given_at is None
    # The importing coordinator goes on with the open case, as the timeline says.
    assert case.coordinator == kurzeme_coordinator
    assigned = case.events.get(kind=CaseEvent.Kind.ASSIGNED)
    assert assigned.to_value == kurzeme_coordinator.username
    assert assigned.actor == kurzeme_coordinator
    # Only counts and the sha256 stay.
    assert (bytes(job.content), job.preview, job.problems) == (b"", {}, [])
    assert job.sha256 and job.summary["counts"]["cases"] == 2


def test_kurzeme_coordinator_cannot_reach_zemgale_through_a_file(
    upload, client, kurzeme_coordinator, national_admin, confirm
):
    zemgale_person = factories.ReturneeFactory(
        first_name="Zigrīda", last_name="Zemgaliete", email="zigrida@example.com"
    )
    zemgale_case = factories.CaseFactory(
        returnee=zemgale_person, planning_region=factories.region("ZEM"),
        municipality=factories.municipality("Bauskas novads"),
    )  # fmt: skip
    kurzeme_person = factories.ReturneeFactory(email="kurzemniece@example.com")
    factories.CaseFactory(returnee=kurzeme_person)
    sequence = ReferenceSequence.objects.get(prefix="ZEM")
    next_zemgale = f"ZEM-{sequence.year}-{sequence.last_number + 1:05d}"
    rows = [
        good_row(1, legacy_reference=zemgale_case.reference),
        good_row(2, email="zigrida@example.com"),
        good_row(3, legacy_reference=next_zemgale),
        good_row(4, planning_region="ZEM", municipality=""),
        good_row(5, email="kurzemniece@example.com"),
        good_row(6),
    ]
    before = (Case.objects.count(), Returnee.objects.count(), sequence.last_number)

    _response, job = upload(kurzeme_coordinator, csv_bytes(rows))

    assert job.status == ImportJob.Status.INVALID
    problems = problems_of(job)
    assert set(problems) == {
        (2, "legacy_reference"), (3, "email"), (4, "legacy_reference"), (5, "planning_region"),
        (6, "email"),
    }  # fmt: skip
    # One message for a reference of another region and for one not handed out yet, one for
    # an e-mail whether its person is in Zemgale or Kurzeme.
    assert problems[(2, "legacy_reference")] == problems[(4, "legacy_reference")]
    assert problems[(3, "email")] == problems[(6, "email")] == stored(row_messages.EMAIL_TAKEN)
    page = client.get(reverse("imports:job", args=[job.pk])).content.decode()
    kept = json.dumps([job.problems, job.preview, job.summary], ensure_ascii=False)
    for secret in ("Zigrīda", "Zemgaliete", "zigrida@example.com", "Bauskas"):
        assert secret not in page and secret not in kept
    assert "Bērziņa6" not in page  # no preview at all while a row has a problem
    sequence.refresh_from_db()
    assert (Case.objects.count(), Returnee.objects.count(), sequence.last_number) == before

    # The national administrator's version of the file: Zemgale's rows carry legacy
    # references (a portal reference is refused for everybody) and name their region.
    admin_rows = [
        good_row(1, legacy_reference="ZEM-OLD-1", planning_region="ZEM", municipality=""),
        good_row(2, email="zigrida@example.com", planning_region="ZEM", municipality=""),
        good_row(6, planning_region="KUR"),
    ]
    _response, admin_job = upload(national_admin, csv_bytes(admin_rows))
    assert admin_job.status == ImportJob.Status.READY, admin_job.problems
    _response, admin_job = confirm(admin_job)

    assert admin_job.status == ImportJob.Status.DONE
    assert zemgale_person.cases.count() == 2  # attached to the person the e-mail names
    new_zemgale = Case.objects.get(legacy_reference="ZEM-OLD-1")
    assert new_zemgale.planning_region.code == "ZEM"
    assert new_zemgale.reference == f"ZEM-2020-{1:05d}"


def test_portal_reference_in_any_column_is_refused(upload, kurzeme_coordinator):
    columns = (*good_row(1).keys(), "old id")
    content = csv_bytes([{**good_row(1), "old id": "KUR-2019-00015"}], columns=columns)

    _response, job = upload(kurzeme_coordinator, content)

    assert problems_of(job) == {(2, "old id"): stored(row_messages.PORTAL_REFERENCE_REFUSED)}


def test_dates_forms_future_and_ambiguous(upload, kurzeme_coordinator):
    rows = [
        good_row(1, created="31.12.2027", contacted="", offer_prepared="", offer_sent=""),
        good_row(2, created="31.12.2020", contacted="", offer_prepared="", offer_sent=""),
        good_row(3, created="01/02/2020", contacted="", offer_prepared="", offer_sent=""),
        good_row(
            4, created="2020-02-01", contacted="1.3.2020.", offer_prepared="", offer_sent=""
        ),  # fmt: skip
        good_row(5, created="31.02.2020", contacted="", offer_prepared="", offer_sent=""),
        good_row(6, created="12.03.1999", contacted="", offer_prepared="", offer_sent=""),
    ]

    _response, job = upload(kurzeme_coordinator, csv_bytes(rows))

    problems = problems_of(job)
    assert problems[(2, "created")] == stored(DATE_FUTURE)
    assert problems[(4, "created")] == stored(DATE_AMBIGUOUS)
    assert {(3, "created"), (5, "created")}.isdisjoint(problems)
    assert (6, "created") in problems and (7, "created") in problems
    ambiguous = next(p for p in job.problems if p["row"] == 4)
    assert "01.02.2027" in ambiguous["message"] and ambiguous["params"]["value"] == "01/02/2020"


@pytest.mark.parametrize(
    ("values", "column"),
    [
        ({"created": "01.05.2020", "contacted": "10.05.2020", "offer_prepared": "",
          "offer_sent": "", "returned": "01.04.2020"}, "returned"),
        ({"closed": "01.06.2020"}, "closed_reason"),
        ({"contacted": "", "offer_prepared": "", "offer_sent": "", "returned": "01.06.2020"},
         "returned"),
        ({"offer_sent": "20.03.2020"}, "offer_sent"),
    ],
)  # fmt: skip
def test_dates_that_break_the_pipeline_name_row_and_column(
    upload, kurzeme_coordinator, values, column
):
    _response, job = upload(kurzeme_coordinator, csv_bytes([good_row(1), good_row(2, **values)]))

    assert job.status == ImportJob.Status.INVALID
    assert [(p["row"], p["column"]) for p in job.problems] == [(3, column)]


def test_semicolon_csv_in_windows_1257_with_latvian_letters(upload, confirm, kurzeme_coordinator):
    row = good_row(1, first_name="Ģirts", last_name="Ķēniņš", town="Dublina",
                   household="dzīvesbiedre 1985; bērns 2016",
                   contacts="12.03.2020 tālrunis: runājām par mājokli")  # fmt: skip
    content = csv_bytes([row], delimiter=";", encoding="cp1257")

    _response, job = upload(kurzeme_coordinator, content)
    assert job.status == ImportJob.Status.READY, job.problems
    confirm(job)

    person = Returnee.objects.get(last_name="Ķēniņš")
    assert person.first_name == "Ģirts"
    assert sorted(person.household.values_list("relation", "birth_year")) == [
        ("child", 2016), ("partner", 1985)
    ]  # fmt: skip
    contact = Interaction.objects.get(case__returnee=person)
    assert (contact.kind, contact.summary) == ("phone", "runājām par mājokli")


@pytest.mark.parametrize("encoding", ["utf-16", "utf-8-sig"])
def test_csv_in_utf16_and_utf8_with_bom(upload, kurzeme_coordinator, encoding):
    content = csv_bytes([good_row(1, first_name="Āris")], delimiter=";", encoding=encoding)

    _response, job = upload(kurzeme_coordinator, content)

    assert job.status == ImportJob.Status.READY, job.problems
    assert job.preview["rows"][0]["name"] == "Āris Bērziņa1"


def test_xlsx_with_date_cells_and_latvian_headers(upload, kurzeme_coordinator):
    from imports.columns import COLUMNS

    row = good_row(1, created=datetime.datetime(2020, 3, 12), contacted=datetime.date(2020, 3, 15))
    latvian = [column.header_lv.upper() for column in COLUMNS]
    by_code = {column.code: column.header_lv.upper() for column in COLUMNS}
    content = xlsx_bytes([{by_code[k]: v for k, v in row.items()}], columns=latvian)

    _response, job = upload(kurzeme_coordinator, content, name="vesture.xlsx")

    assert job.status == ImportJob.Status.READY, job.problems
    assert job.preview["rows"][0]["created"] == "12.03.2020"


def test_one_bad_row_imports_nothing(upload, kurzeme_coordinator):
    rows = [good_row(number) for number in range(1, 30)] + [good_row(30, country="Atlantīda")]

    _response, job = upload(kurzeme_coordinator, csv_bytes(rows))

    assert job.status == ImportJob.Status.INVALID
    assert problems_of(job) == {(31, "country"): stored(row_messages.COUNTRY_UNKNOWN)}
    assert Case.objects.count() == Returnee.objects.count() == 0


def test_an_extended_file_imports_only_its_new_rows(upload, confirm, kurzeme_coordinator):
    _response, job = upload(kurzeme_coordinator, csv_bytes([good_row(1)]))
    confirm(job)
    first = Case.objects.get()

    _response, job = upload(kurzeme_coordinator, csv_bytes([good_row(1), good_row(2)]))

    assert job.status == ImportJob.Status.READY, job.problems
    assert job.summary["counts"]["skipped"] == 1
    assert job.preview["notes"][0]["params"] == {"reference": first.reference}
    confirm(job)
    assert Case.objects.count() == 2


def test_the_same_file_again_is_refused_with_date_and_who(upload, confirm, kurzeme_coordinator):
    content = csv_bytes([good_row(1)])
    _response, job = upload(kurzeme_coordinator, content)
    confirm(job)

    response, _job = upload(kurzeme_coordinator, content)

    assert response.status_code == 200
    expected = SAME_FILE % {"date": timezone.localdate().strftime("%d.%m.%Y"),
                            "user": kurzeme_coordinator.get_full_name()}  # fmt: skip
    assert expected in response.content.decode()
    assert ImportJob.objects.count() == 1


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_template_downloads_and_uploads_without_a_problem(
    client, upload, kurzeme_coordinator, kind
):
    client.force_login(kurzeme_coordinator)
    response = client.get(reverse(f"imports:template_{kind}"))
    assert response.status_code == 200
    assert AuditEntry.objects.filter(action="download", actor=kurzeme_coordinator).exists()

    _response, job = upload(kurzeme_coordinator, response.content, name=f"template.{kind}")

    assert job.status == ImportJob.Status.READY, job.problems


def test_template_xlsx_explains_every_column_in_both_languages(client, kurzeme_coordinator):
    from openpyxl import load_workbook

    from imports.columns import CODES

    client.force_login(kurzeme_coordinator)
    content = client.get(reverse("imports:template_xlsx")).content
    import io

    sheet = load_workbook(io.BytesIO(content)).worksheets[1]
    explained = {row[0]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert set(explained) == set(CODES)
    assert all(row[3] and row[4] for row in explained.values())


@pytest.mark.parametrize(("prefix", "words"), [("", ("Importēt", "Vārds")), ("/en", ("Import",))])
def test_import_pages_render_in_latvian_and_english(upload, client, kurzeme_coordinator, prefix,
                                                    words):  # fmt: skip
    _response, job = upload(kurzeme_coordinator, csv_bytes([good_row(1)]))
    bad_response, bad_job = upload(kurzeme_coordinator, csv_bytes([good_row(2, created="x")]))
    del bad_response

    urls = [reverse("imports:job", args=[job.pk]), reverse("imports:job", args=[bad_job.pk]),
            reverse("imports:upload")]  # fmt: skip
    ready, invalid, form = (client.get(prefix + url) for url in urls)

    assert ready.status_code == invalid.status_code == form.status_code == 200
    if prefix:
        assert "What the import would create" in ready.content.decode()
        assert "Write the date as dd.mm.yyyy" in invalid.content.decode()
    else:
        assert "Ko imports izveidotu" in ready.content.decode()
        assert "Rakstiet datumu kā dd.mm.gggg" in invalid.content.decode()


def test_somebody_elses_job_is_a_404(upload, client, kurzeme_coordinator):
    _response, job = upload(kurzeme_coordinator, csv_bytes([good_row(1)]))
    colleague = factories.CoordinatorFactory(username="kurzeme2")
    client.force_login(colleague)

    assert client.get(reverse("imports:job", args=[job.pk])).status_code == 404
    assert client.post(reverse("imports:start", args=[job.pk])).status_code == 404
    assert client.post(reverse("imports:discard", args=[job.pk])).status_code == 404


def test_discard_deletes_the_job(upload, client, kurzeme_coordinator):
    _response, job = upload(kurzeme_coordinator, csv_bytes([good_row(1)]))

    client.post(reverse("imports:discard", args=[job.pk]))

    assert not ImportJob.objects.exists()
    assert Case.objects.count() == 0


def test_unconfirmed_jobs_expire_after_24_hours(upload, confirm, kurzeme_coordinator):
    _response, waiting = upload(kurzeme_coordinator, csv_bytes([good_row(1)]))
    _response, imported = upload(kurzeme_coordinator, csv_bytes([good_row(2)]))
    confirm(imported)

    assert import_jobs_prune(now=timezone.now() + datetime.timedelta(hours=23)) == 0
    assert import_jobs_prune(now=timezone.now() + datetime.timedelta(hours=25)) == 1
    assert list(ImportJob.objects.values_list("pk", flat=True)) == [imported.pk]


def test_erasing_a_person_deletes_the_waiting_files_that_name_them(upload, kurzeme_coordinator):
    """Whatever the region: a Kurzeme file with a Zemgale person's row goes when she is
    erased; a file that does not name her stays, and a first name alone names nobody."""
    person = factories.ReturneeFactory(
        first_name="Zigrīda", last_name="Zemgaliete", email="zigrida@example.com",
        phone="+447911123456",
    )  # fmt: skip
    factories.CaseFactory(returnee=person, planning_region=factories.region("ZEM"))
    by_name = upload(
        kurzeme_coordinator, csv_bytes([good_row(1, first_name="Zigrīda", last_name="Zemgaliete")])
    )[1]
    by_phone = upload(kurzeme_coordinator, csv_bytes([good_row(2, phone="+44 7911 123456")]))[1]
    unrelated = upload(kurzeme_coordinator, csv_bytes([good_row(3, first_name="Zigrīda")]))[1]

    returnee_erase(returnee=person)

    assert list(ImportJob.objects.values_list("pk", flat=True)) == [unrelated.pk]
    assert {by_name.pk, by_phone.pk}.isdisjoint(ImportJob.objects.values_list("pk", flat=True))


def test_upload_preview_import_are_audited(upload, confirm, client, kurzeme_coordinator):
    _response, job = upload(kurzeme_coordinator, csv_bytes([good_row(1)]))
    client.get(reverse("imports:job", args=[job.pk]))
    confirm(job)

    entries = AuditEntry.objects.filter(actor=kurzeme_coordinator)
    actions = set(entries.values_list("action", flat=True))
    assert {"upload", "view", "import"} <= actions


def test_imported_offer_says_it_has_no_document(upload, confirm, client, kurzeme_coordinator):
    _response, job = upload(kurzeme_coordinator, csv_bytes([good_row(1)]))
    confirm(job)
    case = Case.objects.get()

    page = client.get(reverse("offers:detail", args=[case.reference, 1]))
    pdf = client.get(reverse("offers:pdf", args=[case.reference, 1]))
    timeline = client.get(reverse("workspace:case_detail", args=[case.reference]))

    assert page.status_code == 200
    assert "Importēts, dokumenta nav" in page.content.decode()
    assert pdf.status_code == 404
    assert "importēts, dokumenta nav" in timeline.content.decode()


def test_a_file_too_large_or_of_another_kind_is_a_form_error(client, kurzeme_coordinator):
    client.force_login(kurzeme_coordinator)

    response = client.post(reverse("imports:upload"),
                           {"file": SimpleUploadedFile("history.pdf", b"%PDF")})  # fmt: skip

    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    assert not ImportJob.objects.exists()


def test_too_many_rows_is_one_clear_problem(upload, kurzeme_coordinator, monkeypatch):
    monkeypatch.setattr("imports.reading.MAX_ROWS", 3)

    _response, job = upload(kurzeme_coordinator, csv_bytes([good_row(n) for n in range(1, 6)]))

    assert [p["params"] for p in job.problems] == [{"limit": 3}]


def test_national_admin_chooses_the_default_region(upload, confirm, national_admin):
    vidzeme = PlanningRegion.objects.get(code="VID")
    row = good_row(1, municipality="Cēsu novads")

    _response, job = upload(national_admin, csv_bytes([row]), default_region=vidzeme.pk)
    assert job.status == ImportJob.Status.READY, job.problems
    confirm(job)

    case = Case.objects.get()
    assert case.planning_region == vidzeme
    # Left to the region's coordinators: nobody is assigned by an administrator's import.
    assert case.coordinator is None
    assert not case.events.filter(kind=CaseEvent.Kind.ASSIGNED).exists()


def test_a_row_without_region_is_a_problem_for_an_admin_without_default(upload, national_admin):
    _response, job = upload(national_admin, csv_bytes([good_row(1)]))

    assert problems_of(job) == {(2, "planning_region"): stored(row_messages.REGION_REQUIRED)}
