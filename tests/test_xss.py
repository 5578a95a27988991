"""Hostile text typed into every free-text field, followed to every place it is shown or
exported: HTML escapes it, the PDF prints it as text and fetches nothing, spreadsheets get
it with a leading apostrophe, JSON keeps it as data.

The text goes in through the public surface only: the "Dod ziņu!" form, the workspace forms,
the specialist's answer form and the offer builder.
"""

import csv
import io
import json
import zipfile

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from openpyxl import load_workbook
from pypdf import PdfReader

from common.spreadsheets import FORMULA_PREFIXES
from coordinators.models import Case, MunicipalityRequest
from intake.forms import timestamp_token
from tests.factories import (
    CoordinatorFactory,
    NationalAdminFactory,
    SpecialistFactory,
    UserFactory,
    municipality,
    need,
    region,
)
from tests.test_privacy import prepared_zip

pytestmark = pytest.mark.django_db

PAYLOADS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    '=HYPERLINK("http://evil","x")',
    "+cmd|' /C calc'!A0",
    "@SUM(1)",
    "-2+3+cmd|' /C calc'!A0",
]
LIEPAJA = "Liepājas valstspilsēta"


@pytest.fixture(autouse=True)
def contact_settings(settings):
    settings.CONTACT_FORM_MIN_FILL_SECONDS = 0
    settings.CONTACT_FORM_RATE_LIMIT = 100
    cache.clear()


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


def today():
    return timezone.localdate().strftime("%d.%m.%Y")


def submit_contact_form(text, email="girts.kenins@example.com"):
    """The person's names, town and message are all the hostile text."""
    response = Client().post(
        reverse("intake:contact"),
        {
            "first_name": text,
            "last_name": text,
            "email": email,
            "phone": "+44 7911 123456",
            "country": "GB",
            "town": text,
            "preferred_language": "lv",
            "planning_region": str(region("KUR").pk),
            "municipality": str(municipality(LIEPAJA).pk),
            "timeframe": Case.Timeframe.MONTHS_6_12,
            "adults": "2",
            "children_ages": "3",
            "needs": [str(need("family").pk)],
            "message": text,
            "consent": "on",
            "sharing_consent": "on",
            "homepage": "",
            "started": timestamp_token(),
        },
    )
    assert response.status_code == 302, "the contact form refused the text"
    return Case.objects.get(returnee__email=email)


def work_the_case(case, text, coordinator, specialist):
    """Interaction, request and answer, an offer sent, and the case closed: all with `text`."""
    staff = logged_in(coordinator)
    reference = case.reference

    def post(name, data, *args, client=staff):
        response = client.post(reverse(name, args=[reference, *args]), data)
        assert response.status_code == 302, (name, response.content[:2000])

    post(
        "workspace:case_status",
        {"status-to_status": "contacted", "status-expected_status": "new"},
    )
    post(
        "workspace:case_interaction",
        {
            "interaction-kind": "phone",
            "interaction-occurred_on": today(),
            "interaction-summary": text,
        },
    )
    post(
        "workspace:case_request",
        {
            "request-municipalities": municipality(LIEPAJA).pk,
            "request-need": need("family").pk,
            "request-question": text,
            "request-share_contact_details": "on",
        },
    )
    request = MunicipalityRequest.objects.get(case=case)
    answered = logged_in(specialist).post(
        reverse("workspace:request_detail", args=[request.pk]), {"answer": text}
    )
    assert answered.status_code == 302
    post("offers:create", {})
    offer = case.offers.get()
    post(
        "offers:item_add",
        {"need": need("family").pk, "title": "Bērnudārzs", "text": "Vieta.", "contact": ""},
        offer.version,
    )
    for item in offer.items.all():
        prefix = f"item-{item.pk}"
        post(
            "offers:item_update",
            {f"{prefix}-title": text, f"{prefix}-text": text, f"{prefix}-contact": text},
            offer.version,
            item.pk,
        )
    post(
        "offers:item_add",
        {"need": need("housing").pk, "title": text, "text": text, "contact": text},
        offer.version,
    )
    post("offers:send", {"confirm": "on"}, offer.version)
    post(
        "workspace:case_status",
        {
            "status-to_status": "closed",
            "status-expected_status": "offer_sent",
            "status-closed_reason": "other",
            "status-confirm_final": "on",
            "status-note": text,
        },
    )
    return offer


@pytest.fixture(params=PAYLOADS, ids=["script", "attribute", "hyperlink", "dde", "at", "minus"])
def hostile(request):
    """One case of Kurzeme whose every free-text field holds the payload."""
    text = request.param
    coordinator = CoordinatorFactory()
    specialist = SpecialistFactory()
    case = submit_contact_form(text)
    offer = work_the_case(case, text, coordinator, specialist)
    case.refresh_from_db()
    assert case.status == Case.Status.CLOSED
    return {
        "text": text,
        "case": case,
        "offer": offer,
        "coordinator": coordinator,
        "specialist": specialist,
    }


def assert_escaped(html, text, times=1):
    """The text is on the page as text, at least `times` times, and never as markup."""
    assert html.count(escape(text)) >= times
    if escape(text) != text:
        assert text not in html


def test_case_page_and_timeline_show_every_field_as_text(hostile):
    text, case = hostile["text"], hostile["case"]
    response = logged_in(hostile["coordinator"]).get(
        reverse("workspace:case_detail", args=[case.reference])
    )

    html = response.content.decode()
    # Names, town, message, interaction summary, question, answer, closing note.
    assert_escaped(html, text, times=5)
    timeline = html[html.index('class="timeline') :]
    assert_escaped(timeline, text, times=2)


def test_specialists_request_page_shows_question_and_names_as_text(hostile):
    request = MunicipalityRequest.objects.get(case=hostile["case"])
    response = logged_in(hostile["specialist"]).get(
        reverse("workspace:request_detail", args=[request.pk])
    )

    assert_escaped(response.content.decode(), hostile["text"], times=3)


def test_offer_page_shows_sections_as_text(hostile):
    offer = hostile["offer"]
    response = logged_in(hostile["coordinator"]).get(
        reverse("offers:detail", args=[offer.case.reference, offer.version])
    )

    assert_escaped(response.content.decode(), hostile["text"], times=3)


def test_offer_pdf_prints_the_text_literally(hostile):
    offer = hostile["offer"]
    response = logged_in(hostile["coordinator"]).get(
        reverse("offers:pdf", args=[offer.case.reference, offer.version])
    )

    reader = PdfReader(io.BytesIO(response.content))
    printed = "".join("".join(page.extract_text().split()) for page in reader.pages)
    assert printed.count("".join(hostile["text"].split())) >= 3


def cells_of_xlsx(content):
    workbook = load_workbook(io.BytesIO(content))
    return [cell for sheet in workbook for row in sheet.iter_rows(values_only=True) for cell in row]


def cells_of_csv(content):
    text = content.decode("utf-8-sig")
    # The admin writes commas; the reports write semicolons (Excel's choice in Latvia).
    delimiter = ";" if ";" in text.splitlines()[0] else ","
    return [cell for row in csv.reader(io.StringIO(text), delimiter=delimiter) for cell in row]


def assert_cells_inert(cells, text, present):
    """No cell starts like a formula; where the text is exported, it is there escaped."""
    strings = [cell for cell in cells if isinstance(cell, str)]
    assert [cell for cell in strings if cell.startswith(FORMULA_PREFIXES)] == []
    expected = "'" + text if text.startswith(FORMULA_PREFIXES) else text
    assert (expected in strings) is present


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_admin_exports_of_returnees_and_cases_escape_formulae(hostile, file_format):
    admin = logged_in(UserFactory(is_superuser=True))
    fields = {
        "returnee": ["first_name", "last_name", "email", "town"],
        "case": ["reference", "returnee", "status"],
    }
    read = cells_of_csv if file_format == "csv" else cells_of_xlsx
    for model, names in fields.items():
        response = admin.post(
            reverse(f"admin:coordinators_{model}_export"),
            {
                "format": "0" if file_format == "csv" else "1",
                "resource": "0",
                **{f"{model}resource_{name}": "on" for name in names},
            },
        )
        assert response.status_code == 200
        cells = read(response.content)
        assert_cells_inert(cells, hostile["text"], present=(model == "returnee"))


def test_report_exports_and_case_level_csv_hold_no_live_formula(hostile):
    admin = logged_in(NationalAdminFactory())
    query = {"period": "this_year"}

    for name, read in [
        ("reports:export_csv", cells_of_csv),
        ("reports:export_xlsx", cells_of_xlsx),
        ("reports:case_export", cells_of_csv),
    ]:
        response = admin.get(reverse(name), query)
        assert response.status_code == 200, name
        content = b"".join(response.streaming_content) if response.streaming else response.content
        cells = read(content)
        # Reports carry figures and reference data only: the typed text is not in them.
        assert_cells_inert(cells, hostile["text"], present=False)
    assert hostile["case"].reference in cells


def test_gdpr_zip_keeps_the_text_as_data_in_valid_json(hostile, django_capture_on_commit_callbacks):
    case = hostile["case"]
    client = logged_in(hostile["coordinator"])
    response = prepared_zip(client, case, django_capture_on_commit_callbacks)

    archive = zipfile.ZipFile(io.BytesIO(response.content))
    documents = [
        json.loads(archive.read(name)) for name in archive.namelist() if name.endswith(".json")
    ]
    assert documents
    dumped = json.dumps(documents, ensure_ascii=False)
    assert dumped.count(json.dumps(hostile["text"], ensure_ascii=False)[1:-1]) >= 5


def test_formula_in_an_email_address_is_escaped_in_both_admin_exports():
    """An e-mail address may legally start with = + or -: the contact form accepts it."""
    email = "=cmd+1@example.com"
    submit_contact_form("Ilze", email=email)
    admin = logged_in(UserFactory(is_superuser=True))

    for model, field in [("returnee", "email"), ("case", "returnee")]:
        response = admin.post(
            reverse(f"admin:coordinators_{model}_export"),
            {"format": "0", "resource": "0", f"{model}resource_{field}": "on"},
        )
        assert "'" + email in cells_of_csv(response.content)
        assert email not in cells_of_csv(response.content)


def test_offer_pdf_fetches_nothing_that_the_typed_text_points_to(listening_server):
    base, requests = listening_server
    text = (  # at most 200 characters, the length of a section title
        f'<img src="{base}/img.png"><link rel="attachment" href="{base}/file">'
        f'<link rel="stylesheet" href="{base}/s.css">'
    )
    coordinator = CoordinatorFactory()
    case = submit_contact_form(f'<img src="{base}/name.png">')  # names are at most 100 long
    offer = work_the_case(case, text, coordinator, SpecialistFactory())

    response = logged_in(coordinator).get(
        reverse("offers:pdf", args=[case.reference, offer.version])
    )

    assert response.status_code == 200
    assert requests == []
    reader = PdfReader(io.BytesIO(response.content))
    assert not reader.attachments
    printed = "".join("".join(page.extract_text().split()) for page in reader.pages)
    assert f'<imgsrc="{base}/img.png">' in printed
    assert f'<imgsrc="{base}/name.png">' in printed
