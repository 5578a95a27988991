"""Every read and export of personal data outside the admin leaves one audit row: who, what,
which case, from where; a list records its row count and filter names, never a search."""

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.models import AuditEntry
from tests.factories import CaseFactory, MunicipalityRequestFactory, municipality

pytestmark = pytest.mark.django_db

SURNAME = "Zvaigznīte"


@pytest.fixture
def case(kurzeme_coordinator):
    return CaseFactory(
        returnee__last_name=SURNAME,
        coordinator=kurzeme_coordinator,
        municipality=municipality("Liepājas valstspilsēta"),
    )


def entries(action="view"):
    return list(AuditEntry.objects.filter(action=action).order_by("id"))


def test_the_case_page_again_after_an_invalid_form_is_a_view_too(client, case, kurzeme_coordinator):
    client.force_login(kurzeme_coordinator)
    client.get(reverse("workspace:case_detail", args=[case.reference]))
    response = client.post(
        reverse("workspace:case_interaction", args=[case.reference]),
        {"interaction-kind": "phone", "interaction-occurred_on": "", "interaction-summary": ""},
    )

    assert response.status_code == 200 and SURNAME in response.text
    viewed = entries()
    assert [(entry.reference, entry.actor, entry.ip_address) for entry in viewed] == [
        (case.reference, kurzeme_coordinator, "127.0.0.1")
    ] * 2


def test_the_case_list_and_a_search_record_rows_and_filters_but_not_the_text(
    client, case, kurzeme_coordinator
):
    CaseFactory()
    client.force_login(kurzeme_coordinator)
    client.get(reverse("workspace:case_list"), {"work": "all"})  # not the default "my work"
    client.post(reverse("workspace:case_search"), {"q": SURNAME})
    client.get(reverse("workspace:case_list"), {"search": "on", "status": "new"})

    first, searched = entries()
    assert first.detail == "case list: 2 rows; filters: work"
    assert searched.detail == "case list: 1 rows; filters: search,status"
    assert searched.actor == kurzeme_coordinator and searched.ip_address == "127.0.0.1"
    assert SURNAME not in str(list(AuditEntry.objects.values_list()))


def test_report_exports_are_recorded_when_asked_and_downloaded(client, kurzeme_coordinator):
    client.force_login(kurzeme_coordinator)
    period = {"date_from": "01.01.2024", "date_to": "31.12.2024"}
    client.get(reverse("reports:export_xlsx"), period)
    client.get(reverse("reports:export_csv"), period)
    client.post(f"{reverse('reports:pdf_prepare')}?date_from=01.01.2024&date_to=31.12.2024")

    assert [entry.detail for entry in entries("export")] == [
        "reports: XLSX 01.01.2024-31.12.2024",
        "reports: CSV 01.01.2024-31.12.2024",
        "reports: PDF asked 01.01.2024-31.12.2024",
    ]
    assert {entry.actor for entry in entries("export")} == {kurzeme_coordinator}


def test_a_refused_export_records_nothing(client, kurzeme_coordinator):
    client.force_login(kurzeme_coordinator)
    client.get(reverse("reports:export_xlsx"), {"date_from": "31.12.9999"})
    assert entries("export") == []


def test_the_specialist_sees_shared_details_again_after_an_invalid_answer(
    client, case, liepaja_specialist
):
    request = MunicipalityRequestFactory(case=case, share_contact_details=True)
    client.force_login(liepaja_specialist)
    client.get(reverse("workspace:request_detail", args=[request.pk]))
    response = client.post(reverse("workspace:request_detail", args=[request.pk]), {"answer": ""})

    assert response.status_code == 200 and SURNAME in response.text
    assert [entry.reference for entry in entries()] == [case.reference] * 2


def test_the_requests_list_names_nobody(client, case, liepaja_specialist):
    MunicipalityRequestFactory(case=case, share_contact_details=True)
    client.force_login(liepaja_specialist)
    response = client.get(reverse("workspace:request_list"))
    assert case.reference in response.text and SURNAME not in response.text


def test_a_wrong_second_factor_code_is_recorded(client, kurzeme_coordinator, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    TOTPDevice.objects.create(user=kurzeme_coordinator, name="app", confirmed=True)
    client.force_login(kurzeme_coordinator)

    client.post(reverse("accounts:two_factor_verify"), {"token": "000000"})

    (entry,) = entries("second_factor_failed")
    assert (entry.actor, entry.ip_address) == (kurzeme_coordinator, "127.0.0.1")
