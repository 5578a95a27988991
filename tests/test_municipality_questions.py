"""Questions to several municipalities at once, with an answer-by date, a reminder when it
passes (once per question), withdrawal, and the answers side by side on the case page."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from common.errors import DomainError
from coordinators.models import MunicipalityRequest
from coordinators.services.requests import (
    REQUEST_NOT_OPEN,
    municipality_request_answer,
    municipality_request_withdraw,
    municipality_requests_create,
    request_reminders_send,
)
from outbox.models import Email
from tests.factories import CaseFactory, SpecialistFactory, municipality, need

pytestmark = pytest.mark.django_db
LIEPAJA, VENTSPILS = "Liepājas valstspilsēta", "Ventspils valstspilsēta"


@pytest.fixture
def specialists():
    return {
        name: SpecialistFactory(municipality=municipality(name), email=f"{index}@example.lv")
        for index, name in enumerate((LIEPAJA, VENTSPILS))
    }


def ask(case, actor, *, due_on=None):
    return municipality_requests_create(
        case=case, municipalities=[municipality(VENTSPILS), municipality(LIEPAJA)],
        need=need("housing"), question="Vai ir īres dzīvoklis?", actor=actor, due_on=due_on,
    )  # fmt: skip


def test_one_question_to_several_municipalities_makes_a_request_and_a_mail_each(
    kurzeme_coordinator, specialists
):
    case = CaseFactory()
    due = timezone.localdate() + datetime.timedelta(days=7)

    requests = ask(case, kurzeme_coordinator, due_on=due)

    assert [request.municipality.name for request in requests] == [LIEPAJA, VENTSPILS]
    assert {request.due_on for request in requests} == {due}
    mails = Email.objects.filter(purpose="municipality_request")
    assert sorted(mails.values_list("to", flat=True)) == ["0@example.lv", "1@example.lv"]


def test_the_reminder_goes_once_when_the_date_has_passed(kurzeme_coordinator, specialists):
    today = timezone.localdate()
    late, answered = ask(CaseFactory(), kurzeme_coordinator, due_on=today)
    municipality_request_answer(request=answered, answer="Ir", actor=specialists[VENTSPILS])
    ask(CaseFactory(), kurzeme_coordinator, due_on=today + datetime.timedelta(days=3))

    assert request_reminders_send(today=today) == 0  # due today: not late yet
    tomorrow = today + datetime.timedelta(days=1)
    assert request_reminders_send(today=tomorrow) == 1
    assert request_reminders_send(today=tomorrow) == 0

    reminder = Email.objects.get(purpose=Email.Purpose.REQUEST_REMINDER)
    assert reminder.to == specialists[LIEPAJA].email
    assert late.case.reference in reminder.subject
    late.refresh_from_db()
    assert late.reminded_at is not None


def test_a_withdrawn_question_cannot_be_answered(kurzeme_coordinator, specialists):
    request, _other = ask(CaseFactory(), kurzeme_coordinator)

    municipality_request_withdraw(request=request, actor=kurzeme_coordinator)

    request.refresh_from_db()
    assert (request.status, request.withdrawn_by) == ("withdrawn", kurzeme_coordinator)
    with pytest.raises(DomainError) as error:
        municipality_request_answer(request=request, answer="Ir", actor=specialists[LIEPAJA])
    assert error.value.message == REQUEST_NOT_OPEN
    assert request_reminders_send(today=timezone.localdate() + datetime.timedelta(days=99)) == 0


def test_the_specialist_sees_the_question_withdrawn(client, kurzeme_coordinator, specialists):
    request, _other = ask(CaseFactory(), kurzeme_coordinator)
    municipality_request_withdraw(request=request, actor=kurzeme_coordinator)
    client.force_login(specialists[LIEPAJA])

    page = client.get(reverse("workspace:request_detail", args=[request.pk]))

    assert "atsauca šo jautājumu" in page.content.decode()
    assert b'name="answer"' not in page.content


def test_asking_and_withdrawing_through_the_case_page(client, kurzeme_coordinator, specialists):
    case = CaseFactory()
    due = (timezone.localdate() + datetime.timedelta(days=5)).strftime("%d.%m.%Y")
    client.force_login(kurzeme_coordinator)
    response = client.post(
        reverse("workspace:case_request", args=[case.reference]),
        {"request-municipalities": [municipality(LIEPAJA).pk, municipality(VENTSPILS).pk],
         "request-need": need("housing").pk, "request-question": "Vai ir dzīvoklis?",
         "request-due_on": due},
        follow=True,
    )  # fmt: skip
    assert "2 pašvaldībām" in str(list(response.context["messages"])[0])
    (group,) = response.context["questions"]
    assert [request.municipality.name for request in group["requests"]] == [LIEPAJA, VENTSPILS]

    municipality_request_answer(
        request=group["requests"][1], answer="Ir dzīvoklis", actor=specialists[VENTSPILS]
    )
    liepaja = group["requests"][0]
    response = client.post(
        reverse("workspace:case_request_withdraw", args=[case.reference, liepaja.pk]), follow=True
    )
    (group,) = response.context["questions"]
    assert [request.status for request in group["requests"]] == ["withdrawn", "answered"]
    assert "Ir dzīvoklis" in response.content.decode()


def test_a_past_answer_by_date_is_a_field_error(client, kurzeme_coordinator):
    case = CaseFactory()
    client.force_login(kurzeme_coordinator)
    response = client.post(
        reverse("workspace:case_request", args=[case.reference]),
        {"request-municipalities": [municipality(LIEPAJA).pk], "request-need": need("housing").pk,
         "request-question": "Vai?", "request-due_on": "01.01.2020"},
    )  # fmt: skip
    assert response.status_code == 200
    assert "due_on" in response.context["request_form"].errors
    assert not MunicipalityRequest.objects.exists()


def test_withdrawing_a_request_of_another_case_is_a_404(client, kurzeme_coordinator):
    request, _other = ask(CaseFactory(), kurzeme_coordinator)
    other_case = CaseFactory()
    client.force_login(kurzeme_coordinator)
    url = reverse("workspace:case_request_withdraw", args=[other_case.reference, request.pk])
    assert client.post(url).status_code == 404
