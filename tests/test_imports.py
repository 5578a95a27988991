import csv
import io

import pytest
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from coordinators.models import Case, Returnee
from coordinators.resources import CaseResource, ReturneeResource
from tests.factories import CaseFactory, ReturneeFactory

pytestmark = pytest.mark.django_db

RETURNEE_HEADER = "first_name,last_name,email,phone,country,town,preferred_language\n"
GOOD_ROW = "Ģirts,Ķēniņš,girts@example.com,+447911123456,GB,London,lv\n"


def upload(client, url_name, content, name="import.csv", file_format="0"):
    return client.post(
        reverse(url_name),
        {
            "import_file": SimpleUploadedFile(name, content),
            "format": file_format,
            "resource": "0",
        },
    )


def test_admin_dry_run_reports_each_bad_row_and_writes_nothing(client, superuser):
    client.force_login(superuser)
    content = (
        RETURNEE_HEADER
        + GOOD_ROW
        + "Anna,Bērziņa,not-an-email,,LV,Rīga,lv\n"
        + ",Ozola,ozola@example.com,,IE,Cork,lv\n"
        + "Ilze,Kalniņa,ilze@example.com,12345,DE,Berlin,lv\n"
    ).encode()

    response = upload(client, "admin:coordinators_returnee_import", content)

    assert response.status_code == 200
    errors = response.context["result"].invalid_rows
    assert [row.number for row in errors] == [2, 3, 4]
    assert set(errors[0].field_specific_errors) == {"email"}
    assert set(errors[1].field_specific_errors) == {"first_name"}
    assert set(errors[2].field_specific_errors) == {"phone"}
    assert "not-an-email" in response.text
    assert Returnee.objects.count() == 0  # not even the good row


def test_case_import_names_the_unknown_municipality_and_imports_nothing(client, superuser):
    client.force_login(superuser)
    ReturneeFactory(email="girts@example.com")
    content = (
        "reference,returnee_email,planning_region,municipality,status,source,needs\n"
        ",girts@example.com,KUR,Liepājas valstspilsēta,new,email,housing\n"
        ",girts@example.com,KUR,Atlantīda,new,email,housing\n"
        ",girts@example.com,KUR,Rīgas valstspilsēta,new,email,housing\n"
        ",girts@example.com,KUR,Talsu novads,new,email,flying\n"
    ).encode()

    response = upload(client, "admin:coordinators_case_import", content)

    errors = response.context["result"].invalid_rows
    assert [row.number for row in errors] == [2, 3, 4]
    assert "Atlantīda" in str(errors[0].error_dict["municipality"])
    assert "municipality" in errors[1].error_dict  # Rīga is not in Kurzeme
    assert "flying" in str(errors[2].error_dict["needs"])
    assert Case.objects.count() == 0


def test_valid_case_file_imports_with_references_and_events(superuser):
    ReturneeFactory(email="girts@example.com")
    dataset = tablib.Dataset(
        ["", "girts@example.com", "ZEM", "Bauskas novads", "new", "event", "housing,work"],
        headers=["reference", "returnee_email", "planning_region", "municipality", "status",
                 "source", "needs"],
    )  # fmt: skip

    result = CaseResource().import_data(dataset, dry_run=False, user=superuser)

    assert not result.has_errors() and not result.has_validation_errors()
    case = Case.objects.get()
    assert case.reference.startswith("ZEM-")
    assert sorted(case.needs.values_list("code", flat=True)) == ["housing", "work"]
    assert case.events.get().kind == "created"


def test_xlsx_import_of_returnees(client, superuser):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(RETURNEE_HEADER.strip().split(","))
    sheet.append(GOOD_ROW.strip().split(","))
    buffer = io.BytesIO()
    workbook.save(buffer)
    client.force_login(superuser)

    response = upload(
        client, "admin:coordinators_returnee_import", buffer.getvalue(), "people.xlsx", "1"
    )
    assert response.status_code == 200
    assert not response.context["result"].has_validation_errors()
    confirm = response.context["confirm_form"]
    response = client.post(reverse("admin:coordinators_returnee_process_import"), confirm.initial)
    assert response.status_code == 302
    assert Returnee.objects.get().last_name == "Ķēniņš"


@pytest.mark.parametrize(
    "payload", ['=HYPERLINK("http://x")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)"]
)
def test_exports_escape_spreadsheet_formulae(payload):
    ReturneeFactory(town=payload, first_name="Ilze")

    dataset = ReturneeResource().export()

    row = dict(zip(dataset.headers, dataset[0], strict=True))
    assert row["town"] == "'" + payload
    assert row["first_name"] == "Ilze"


def test_exported_file_imports_back_unchanged(superuser):
    ReturneeFactory(phone="+447911123456", town="London", email="ilze@example.com")
    exported = ReturneeResource().export().csv
    Returnee.objects.all().delete()

    dataset = tablib.Dataset().load(exported, format="csv")
    result = ReturneeResource().import_data(dataset, dry_run=False)

    assert not result.has_validation_errors()
    assert Returnee.objects.get().phone == "+447911123456"


def test_admin_xlsx_export_escapes_formulae(client, superuser):
    CaseFactory(returnee__town="=1+1")
    client.force_login(superuser)
    response = client.post(
        reverse("admin:coordinators_returnee_export"),
        {"format": "1", "resource": "0", **{f"returneeresource_{name}": "on" for name in
            ["first_name", "last_name", "town"]}},
    )  # fmt: skip
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [cell.value for cell in sheet[2]]
    assert "'=1+1" in values


def test_admin_csv_export_is_utf8_with_diacritics(client, superuser):
    CaseFactory(returnee__first_name="Ģirts")
    client.force_login(superuser)
    response = client.post(
        reverse("admin:coordinators_returnee_export"),
        {"format": "0", "resource": "0", **{f"returneeresource_{name}": "on" for name in
            ["first_name", "last_name"]}},
    )  # fmt: skip
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8"))))
    assert rows[1][0] == "Ģirts"
