"""The municipal specialist's view of the questions to their municipality."""

import pytest
from django.urls import reverse
from django.utils import translation

from coordinators.models import HouseholdMember, MunicipalityRequest
from outbox.models import Email
from tests.factories import (
    CaseFactory,
    MunicipalityRequestFactory,
    municipality,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def liepaja_request(kurzeme_coordinator):
    case = CaseFactory(
        municipality=municipality("Liepājas valstspilsēta"), coordinator=kurzeme_coordinator
    )
    HouseholdMember.objects.create(returnee=case.returnee, relation="child", birth_year=2020)
    return MunicipalityRequestFactory(case=case, created_by=kurzeme_coordinator)


@pytest.fixture
def specialist_client(client, liepaja_specialist):
    client.force_login(liepaja_specialist)
    return client


def test_specialist_lists_only_open_requests_to_their_municipality(
    specialist_client, liepaja_request
):
    MunicipalityRequestFactory(
        case=CaseFactory(municipality=municipality("Ventspils valstspilsēta"))
    )

    response = specialist_client.get(reverse("workspace:request_list"))

    assert list(response.context["requests"]) == [liepaja_request]


def test_request_page_shows_household_but_no_contact_details_unless_shared(
    specialist_client, liepaja_request
):
    url = reverse("workspace:request_detail", args=[liepaja_request.pk])
    returnee = liepaja_request.case.returnee

    content = specialist_client.get(url).content.decode()
    assert "2020" in content
    assert liepaja_request.question in content
    for secret in (returnee.last_name, returnee.email, returnee.phone):
        assert secret not in content

    MunicipalityRequest.objects.filter(pk=liepaja_request.pk).update(share_contact_details=True)
    content = specialist_client.get(url).content.decode()
    assert returnee.last_name in content
    assert returnee.email in content


def test_answer_lands_on_the_case_timeline_and_notifies_the_coordinator(
    specialist_client, liepaja_request, liepaja_specialist, client, kurzeme_coordinator
):
    url = reverse("workspace:request_detail", args=[liepaja_request.pk])

    response = specialist_client.post(url, {"answer": "Vieta bērnudārzā “Zīlīte” no 1. marta."})

    assert response.status_code == 302
    liepaja_request.refresh_from_db()
    assert liepaja_request.status == "answered"
    assert liepaja_request.answered_by == liepaja_specialist
    notice = Email.objects.get(purpose="municipality_answer")
    assert notice.to == kurzeme_coordinator.email
    assert notice.case == liepaja_request.case
    client.force_login(kurzeme_coordinator)
    case_page = client.get(reverse("workspace:case_detail", args=[liepaja_request.case.reference]))
    assert "answer" in [entry.kind for entry in case_page.context["timeline"]]
    assert "Zīlīte" in case_page.content.decode()


def test_answer_notice_is_latvian_when_the_specialist_works_in_english(
    specialist_client, liepaja_request
):
    # The override also restores the language the English request activates in this thread.
    with translation.override("en"):
        url = reverse("workspace:request_detail", args=[liepaja_request.pk])
        specialist_client.post(url, {"answer": "A kindergarten place from 1 March."})

    notice = Email.objects.get(purpose="municipality_answer")
    assert notice.body.startswith("Atbilde ir lietas lapā: https://portal.example.lv/cases/")
    assert "/en/" not in notice.body


def test_answering_twice_or_empty_is_refused(specialist_client, liepaja_request):
    url = reverse("workspace:request_detail", args=[liepaja_request.pk])

    empty = specialist_client.post(url, {"answer": ""})
    assert empty.status_code == 200
    assert "answer" in empty.context["answer_form"].errors

    specialist_client.post(url, {"answer": "Jā."})
    specialist_client.post(url, {"answer": "Nē."})
    liepaja_request.refresh_from_db()
    assert liepaja_request.answer == "Jā."
