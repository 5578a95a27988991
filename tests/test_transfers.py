"""Transfers between planning regions: propose, accept, decline, withdraw, a national
administrator's direct move; what moves with the case; the reports after a move."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from common.errors import DomainError
from coordinators.models import Case, CaseEvent, MunicipalityRequest
from coordinators.services.pipeline import case_transition
from coordinators.services.versions import case_version
from outbox.models import Email
from reports.figures.filters import ReportFilters
from reports.figures.report import report_build
from tests.factories import (
    CaseFactory,
    CoordinatorFactory,
    MunicipalityRequestFactory,
    NationalAdminFactory,
    OfferFactory,
    municipality,
    region,
)
from transfers.models import CaseTransfer
from transfers.services import (
    ALREADY_PROPOSED,
    NATIONAL_QUEUE_CASE,
    NOT_OPEN,
    NOTE_REQUIRED,
    case_move_directly,
    transfer_accept,
    transfer_decline,
    transfer_propose,
    transfer_withdraw,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def kurzeme_case(kurzeme_coordinator):
    return CaseFactory(
        coordinator=kurzeme_coordinator, municipality=municipality("Liepājas valstspilsēta")
    )


def propose(case, actor, to="ZEM"):
    return transfer_propose(
        case=case, to_region=region(to), note="Pārceļas uz Jelgavu", actor=actor
    )


def test_proposal_mails_the_target_regions_coordinators(kurzeme_case, kurzeme_coordinator,
                                                        zemgale_coordinator):  # fmt: skip
    transfer = propose(kurzeme_case, kurzeme_coordinator)

    assert (transfer.status, transfer.from_region.code, transfer.to_region.code) == (
        "proposed", "KUR", "ZEM",
    )  # fmt: skip
    mail = Email.objects.get(purpose=Email.Purpose.TRANSFER_PROPOSED)
    assert mail.to == zemgale_coordinator.email
    assert kurzeme_case.reference in mail.subject
    assert kurzeme_case.returnee.last_name not in mail.body + mail.subject
    kurzeme_case.refresh_from_db()
    assert kurzeme_case.planning_region.code == "KUR"  # nothing moves before the decision


def test_a_case_has_one_open_proposal_at_a_time(kurzeme_case, kurzeme_coordinator):
    propose(kurzeme_case, kurzeme_coordinator)
    with pytest.raises(DomainError) as error:
        propose(kurzeme_case, kurzeme_coordinator, to="VID")
    assert error.value.message == ALREADY_PROPOSED % {"region": region("ZEM").name}


def test_a_national_queue_case_is_taken_not_proposed(kurzeme_coordinator):
    case = CaseFactory(planning_region=None, municipality=None)
    with pytest.raises(DomainError) as error:
        propose(case, kurzeme_coordinator)
    assert error.value.message == NATIONAL_QUEUE_CASE


def test_proposal_over_a_region_changed_meanwhile_is_refused(kurzeme_case, kurzeme_coordinator):
    version = case_version(case=kurzeme_case, fields=("planning_region",))
    case_move_directly(
        case=kurzeme_case, to_region=region("VID"), note="", actor=NationalAdminFactory()
    )
    with pytest.raises(DomainError):
        transfer_propose(
            case=kurzeme_case, to_region=region("ZEM"), note="x", actor=kurzeme_coordinator,
            version=version,
        )  # fmt: skip
    assert not CaseTransfer.objects.filter(status="proposed").exists()


def test_accepting_moves_the_case_its_requests_and_offers(kurzeme_case, kurzeme_coordinator,
                                                          zemgale_coordinator):  # fmt: skip
    open_request = MunicipalityRequestFactory(case=kurzeme_case)
    answered = MunicipalityRequestFactory(case=kurzeme_case, status="answered", answer="Jā")
    offer = OfferFactory(case=kurzeme_case)
    transfer = propose(kurzeme_case, kurzeme_coordinator)

    transfer_accept(transfer=transfer, actor=zemgale_coordinator, note="Paldies")

    case = Case.objects.get(pk=kurzeme_case.pk)
    assert case.planning_region.code == "ZEM"
    assert case.municipality is None  # Liepāja is not in Zemgale
    assert case.coordinator == zemgale_coordinator
    open_request.refresh_from_db()
    answered.refresh_from_db()
    assert open_request.status == MunicipalityRequest.Status.WITHDRAWN
    assert open_request.withdrawn_by == zemgale_coordinator
    assert answered.status == MunicipalityRequest.Status.ANSWERED
    offer.refresh_from_db()
    assert offer.case_id == case.pk and offer.prepared_region.code == "KUR"
    moved = case.events.get(kind=CaseEvent.Kind.REGION_CHANGED)
    assert (moved.from_value, moved.to_value, moved.planning_region.code) == ("KUR", "ZEM", "ZEM")
    assigned = case.events.filter(kind=CaseEvent.Kind.ASSIGNED).first()
    assert (assigned.from_value, assigned.to_value) == ("kurzeme", "zemgale")
    transfer.refresh_from_db()
    assert (transfer.status, transfer.decided_by, transfer.decision_note) == (
        "accepted", zemgale_coordinator, "Paldies",
    )  # fmt: skip
    assert not Case.objects.visible_to(kurzeme_coordinator).filter(pk=case.pk).exists()
    assert Case.objects.visible_to(zemgale_coordinator).filter(pk=case.pk).exists()


def test_declining_needs_a_reason_and_leaves_the_case(kurzeme_case, kurzeme_coordinator,
                                                      zemgale_coordinator):  # fmt: skip
    transfer = propose(kurzeme_case, kurzeme_coordinator)
    with pytest.raises(DomainError) as error:
        transfer_decline(transfer=transfer, actor=zemgale_coordinator, note=" ")
    assert error.value.message == NOTE_REQUIRED

    transfer_decline(transfer=transfer, actor=zemgale_coordinator, note="Nav mūsu reģions")

    kurzeme_case.refresh_from_db()
    assert kurzeme_case.planning_region.code == "KUR"
    assert not kurzeme_case.events.filter(kind=CaseEvent.Kind.REGION_CHANGED).exists()
    with pytest.raises(DomainError) as error:
        transfer_accept(transfer=transfer, actor=zemgale_coordinator)
    assert error.value.message == NOT_OPEN


def test_a_withdrawn_proposal_cannot_be_accepted(kurzeme_case, kurzeme_coordinator,
                                                 zemgale_coordinator):  # fmt: skip
    transfer = propose(kurzeme_case, kurzeme_coordinator)
    transfer_withdraw(transfer=transfer, actor=kurzeme_coordinator)
    with pytest.raises(DomainError):
        transfer_accept(transfer=transfer, actor=zemgale_coordinator)
    propose(kurzeme_case, kurzeme_coordinator)  # a new proposal may follow


def test_national_admin_moves_a_case_directly_and_it_is_recorded(kurzeme_case):
    admin = NationalAdminFactory()

    transfer = case_move_directly(case=kurzeme_case, to_region=region("LAT"), note="", actor=admin)

    kurzeme_case.refresh_from_db()
    assert kurzeme_case.planning_region.code == "LAT"
    assert kurzeme_case.coordinator is None
    assert (transfer.status, transfer.proposed_by, transfer.decided_by) == (
        "accepted",
        admin,
        admin,
    )
    assert kurzeme_case.events.get(kind=CaseEvent.Kind.REGION_CHANGED).actor == admin


def _at(event, day):
    CaseEvent.objects.filter(pk=event.pk).update(
        created_at=timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))
    )


def test_reports_count_each_event_for_the_region_the_case_was_in_then(
    kurzeme_case, kurzeme_coordinator, zemgale_coordinator
):
    year = timezone.localdate().year
    _at(kurzeme_case.events.get(kind="created"), datetime.date(year, 2, 1))
    for status, month in (("contacted", 2), ("decided_to_return", 3)):
        _at(
            case_transition(case=kurzeme_case, to_status=status, actor=None),
            datetime.date(year, month, 5),
        )
    transfer_accept(transfer=propose(kurzeme_case, kurzeme_coordinator), actor=zemgale_coordinator)
    kurzeme_case.refresh_from_db()
    returned = case_transition(case=kurzeme_case, to_status="returned", actor=None)
    _at(returned, datetime.date(year, 9, 1))

    def figures(code):
        filters = ReportFilters(datetime.date(year, 1, 1), datetime.date(year, 12, 31),
                                regions=(region(code),))  # fmt: skip
        headline = report_build(filters).headline
        return {key: headline[key] for key in ("new_contacts", "wish_to_return", "returned")}

    assert figures("KUR") == {"new_contacts": 1, "wish_to_return": 1, "returned": 0}
    assert figures("ZEM") == {"new_contacts": 0, "wish_to_return": 0, "returned": 1}


def test_proposal_accepted_through_the_pages(client, kurzeme_case, kurzeme_coordinator,
                                             zemgale_coordinator):  # fmt: skip
    client.force_login(kurzeme_coordinator)
    version = case_version(case=kurzeme_case, fields=("planning_region",))
    url = reverse("workspace:case_transfer", args=[kurzeme_case.reference])
    response = client.post(url, {"transfer-to_region": region("ZEM").pk,
                                 "transfer-note": "Pārceļas", "transfer-version": version},
                           follow=True)  # fmt: skip
    assert "Zemgale" in str(list(response.context["messages"])[0])
    transfer = CaseTransfer.objects.get()

    client.force_login(zemgale_coordinator)
    dashboard = client.get(reverse("home"))
    assert dashboard.context["counts"]["transfers_waiting"] == 1
    assert client.get(reverse("workspace:transfer_list")).context["transfers"][0] == transfer
    assert client.get(reverse("workspace:transfer_detail", args=[transfer.pk])).context[
        "can_decide"
    ]
    response = client.post(reverse("workspace:transfer_accept", args=[transfer.pk]))
    assert response["Location"] == reverse("workspace:case_detail", args=[kurzeme_case.reference])
    page = client.get(response["Location"])
    assert "Zemgale" in page.content.decode()

    client.force_login(kurzeme_coordinator)
    assert client.get(response["Location"]).status_code == 404


def test_empty_proposal_is_a_field_error_with_what_was_typed(client, kurzeme_case,
                                                             kurzeme_coordinator):  # fmt: skip
    client.force_login(kurzeme_coordinator)
    url = reverse("workspace:case_transfer", args=[kurzeme_case.reference])
    response = client.post(url, {"transfer-note": "Teksts"})
    assert response.status_code == 200
    form = response.context["transfer_form"]
    assert "to_region" in form.errors and form["note"].value() == "Teksts"
    assert not CaseTransfer.objects.exists()


def test_declining_without_a_reason_shows_the_form_again(client, kurzeme_case, kurzeme_coordinator,
                                                         zemgale_coordinator):  # fmt: skip
    transfer = propose(kurzeme_case, kurzeme_coordinator)
    client.force_login(zemgale_coordinator)
    response = client.post(reverse("workspace:transfer_decline", args=[transfer.pk]), {})
    assert response.status_code == 200
    assert "note" in response.context["decline_form"].errors


def test_the_proposing_region_cannot_accept_its_own_proposal(client, kurzeme_case,
                                                             kurzeme_coordinator):  # fmt: skip
    transfer = propose(kurzeme_case, kurzeme_coordinator)
    client.force_login(kurzeme_coordinator)
    assert client.post(reverse("workspace:transfer_accept", args=[transfer.pk])).status_code == 404
    other = CoordinatorFactory(planning_region=region("VID"))
    client.force_login(other)
    assert client.get(reverse("workspace:transfer_detail", args=[transfer.pk])).status_code == 404
    assert client.get(reverse("workspace:transfer_list")).context["transfers"].count() == 0


TRANSFER_LIST_QUERIES = 16


@pytest.mark.parametrize("count", [2, 30])
def test_transfer_list_query_count_does_not_grow(client, zemgale_coordinator, count,
                                                 django_assert_max_num_queries):  # fmt: skip
    for _number in range(count):
        CaseTransfer.objects.create(
            case=CaseFactory(), from_region=region("KUR"), to_region=region("ZEM"), note="x"
        )
    client.force_login(zemgale_coordinator)
    with django_assert_max_num_queries(TRANSFER_LIST_QUERIES):
        response = client.get(reverse("workspace:transfer_list"))
    assert len(response.context["transfers"]) == count
    with django_assert_max_num_queries(TRANSFER_LIST_QUERIES):
        assert client.get(reverse("home")).status_code == 200


def test_a_national_queue_case_page_offers_no_transfer_to_a_coordinator(
    client, kurzeme_coordinator
):
    case = CaseFactory(planning_region=None, municipality=None)
    client.force_login(kurzeme_coordinator)
    page = client.get(reverse("workspace:case_detail", args=[case.reference]))
    assert reverse("workspace:case_transfer", args=[case.reference]).encode() not in page.content

    client.force_login(NationalAdminFactory())
    page = client.get(reverse("workspace:case_detail", args=[case.reference]))
    assert b'name="transfer-move_now"' in page.content


def test_after_the_move_the_sending_region_reads_no_more_of_the_case(
    client, kurzeme_case, kurzeme_coordinator, zemgale_coordinator
):
    from municipalities.models import NeedCategory

    transfer = propose(kurzeme_case, kurzeme_coordinator)
    url = reverse("workspace:transfer_detail", args=[transfer.pk])
    client.force_login(kurzeme_coordinator)
    assert client.get(url).context["show_case"] is True  # the proposal: the case in brief

    transfer_accept(transfer=transfer, actor=zemgale_coordinator)
    kurzeme_case.needs.set([NeedCategory.objects.get(code="business")])

    page = client.get(url)
    assert page.status_code == 200  # the transfer itself stays readable for the record
    assert page.context["show_case"] is False and list(page.context["needs"]) == []
    assert NeedCategory.objects.get(code="business").label not in page.content.decode()
