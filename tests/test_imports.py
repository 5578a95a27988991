import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import NoReverseMatch, reverse
from openpyxl import Workbook, load_workbook

from coordinators.resources import ReturneeResource
from municipalities.models import Municipality, MunicipalService
from tests.factories import CaseFactory, ReturneeFactory

pytestmark = pytest.mark.django_db

MUNICIPALITY_HEADER = "name,kind,planning_region,is_pilot,contact_email\n"


def upload(client, url_name, content, name="import.csv", file_format="0"):
    return client.post(
        reverse(url_name),
        {
            "import_file": SimpleUploadedFile(name, content),
            "format": file_format,
            "resource": "0",
        },
    )


def test_admin_dry_run_reports_each_bad_row_and_writes_nothing(client, national_admin):
    client.force_login(national_admin)
    content = (
        MUNICIPALITY_HEADER
        + "Jaunpils novads,county,ZEM,0,dome@jaunpils.lv\n"
        + "Atlantīdas novads,county,ATL,0,\n"
        + "Mēness novads,county,KUR,0,not-an-email\n"
        + "Saules novads,planet,KUR,0,\n"
    ).encode()

    response = upload(client, "admin:municipalities_municipality_import", content)

    assert response.status_code == 200
    errors = response.context["result"].invalid_rows
    assert [row.number for row in errors] == [2, 3, 4]
    assert "ATL" in str(errors[0].error_dict["planning_region"])
    assert set(errors[1].field_specific_errors) == {"contact_email"}
    assert set(errors[2].field_specific_errors) == {"kind"}
    assert not Municipality.objects.filter(name="Jaunpils novads").exists()  # not even row 1


def test_xlsx_import_of_municipal_services(client, national_admin):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["id", "municipality", "category", "title", "description", "is_active"])
    sheet.append(["", "Liepājas valstspilsēta", "housing", "Īres dzīvoklis", "Uz 2 gadiem.", 1])
    buffer = io.BytesIO()
    workbook.save(buffer)
    client.force_login(national_admin)

    response = upload(
        client, "admin:municipalities_municipalservice_import", buffer.getvalue(), "s.xlsx", "1"
    )
    assert response.status_code == 200
    assert not response.context["result"].has_validation_errors()
    confirm = response.context["confirm_form"]
    response = client.post(
        reverse("admin:municipalities_municipalservice_process_import"), confirm.initial
    )
    assert response.status_code == 302
    assert MunicipalService.objects.get().municipality.name == "Liepājas valstspilsēta"


@pytest.mark.parametrize("model", ["case", "returnee"])
def test_cases_and_returnees_have_no_admin_import(client, national_admin, model):
    """A person's history is imported in the workspace; the admin only exports it."""
    client.force_login(national_admin)
    for action in ("import", "process_import"):
        with pytest.raises(NoReverseMatch):
            reverse(f"admin:coordinators_{model}_{action}")
    assert client.get(f"/admin/coordinators/{model}/import/").status_code == 302  # no such row
    page = client.get(reverse(f"admin:coordinators_{model}_changelist"))
    assert "/import/" not in page.text
    assert reverse(f"admin:coordinators_{model}_export") in page.text


@pytest.mark.parametrize(
    "payload", ['=HYPERLINK("http://x")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)"]
)
def test_exports_escape_spreadsheet_formulae(payload):
    ReturneeFactory(town=payload, first_name="Ilze")

    dataset = ReturneeResource().export()

    row = dict(zip(dataset.headers, dataset[0], strict=True))
    assert row["town"] == "'" + payload
    assert row["first_name"] == "Ilze"


def test_admin_xlsx_export_escapes_formulae(client, national_admin):
    CaseFactory(returnee__town="=1+1")
    client.force_login(national_admin)
    response = client.post(
        reverse("admin:coordinators_returnee_export"),
        {"format": "1", "resource": "0", **{f"returneeresource_{name}": "on" for name in
            ["first_name", "last_name", "town"]}},
    )  # fmt: skip
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [cell.value for cell in sheet[2]]
    assert "'=1+1" in values


def test_admin_csv_export_is_utf8_with_diacritics(client, national_admin):
    CaseFactory(returnee__first_name="Ģirts")
    client.force_login(national_admin)
    response = client.post(
        reverse("admin:coordinators_returnee_export"),
        {"format": "0", "resource": "0", **{f"returneeresource_{name}": "on" for name in
            ["first_name", "last_name"]}},
    )  # fmt: skip
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8"))))
    assert rows[1][0] == "Ģirts"
