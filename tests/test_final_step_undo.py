"""Undo a final step: "returned" or "closed" clicked by mistake goes back to the status
before it, on the timeline, and the reports stop counting it."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from common.errors import DomainError
from coordinators.models import CaseEvent
from coordinators.services.pipeline import (
    NOTHING_TO_UNDO,
    UNDO_NOT_YOURS,
    UNDO_REASON_REQUIRED,
    case_final_step_undo,
    case_transition,
)
from reports.figures.filters import ReportFilters
from reports.figures.report import report_build
from tests.factories import CaseFactory, CoordinatorFactory, NationalAdminFactory, region

pytestmark = pytest.mark.django_db


@pytest.fixture
def returned_case(kurzeme_coordinator):
    case = CaseFactory(coordinator=kurzeme_coordinator)
    for status in ("contacted", "offer_preparation", "returned"):
        case_transition(case=case, to_status=status, actor=kurzeme_coordinator)
    return case


def figures():
    year = timezone.localdate().year
    filters = ReportFilters(datetime.date(year, 1, 1), datetime.date(year, 12, 31),
                            regions=(region("KUR"),))  # fmt: skip
    return report_build(filters).headline


def test_coordinator_undoes_a_return_within_the_grace_period(returned_case, kurzeme_coordinator):
    assert figures()["returned"] == 1

    event = case_final_step_undo(case=returned_case, actor=kurzeme_coordinator)

    returned_case.refresh_from_db()
    assert returned_case.status == "offer_preparation"
    assert (event.from_value, event.to_value) == ("returned", "offer_preparation")
    assert event.undoes.to_value == "returned"
    assert figures()["returned"] == 0
    assert figures()["people_returned"] == 0


def test_a_return_after_the_undo_counts_once(returned_case, kurzeme_coordinator):
    case_final_step_undo(case=returned_case, actor=kurzeme_coordinator)
    case_transition(case=returned_case, to_status="returned", actor=kurzeme_coordinator)
    assert figures()["returned"] == 1


def test_undoing_a_closing_after_a_return_keeps_the_return_counted(
    returned_case, kurzeme_coordinator
):
    case_transition(case=returned_case, to_status="closed", closed_reason="other", actor=None)

    case_final_step_undo(case=returned_case, actor=kurzeme_coordinator)
    returned_case.refresh_from_db()
    assert (returned_case.status, returned_case.closed_reason) == ("returned", "")
    assert figures()["returned"] == 1  # the undo back to "returned" is no second return

    case_final_step_undo(case=returned_case, actor=kurzeme_coordinator)  # and the return too
    returned_case.refresh_from_db()
    assert returned_case.status == "offer_preparation"
    assert figures()["returned"] == 0


def test_after_the_grace_period_a_reason_is_needed(returned_case, kurzeme_coordinator, settings):
    settings.FINAL_STEP_UNDO_DAYS = 14
    CaseEvent.objects.filter(case=returned_case, to_value="returned").update(
        created_at=timezone.now() - datetime.timedelta(days=15)
    )
    with pytest.raises(DomainError) as error:
        case_final_step_undo(case=returned_case, actor=kurzeme_coordinator)
    assert error.value.message == UNDO_REASON_REQUIRED % {"days": 14}

    event = case_final_step_undo(case=returned_case, actor=kurzeme_coordinator, reason="Kļūda")
    assert event.note == "Kļūda"


def test_national_admin_undoes_any_time_with_a_reason(returned_case):
    admin = NationalAdminFactory()
    with pytest.raises(DomainError):
        case_final_step_undo(case=returned_case, actor=admin)
    case_final_step_undo(case=returned_case, actor=admin, reason="Ievadīts kļūdaini")
    returned_case.refresh_from_db()
    assert returned_case.status == "offer_preparation"


def test_another_coordinator_cannot_undo(returned_case):
    colleague = CoordinatorFactory()  # same region, not the case's coordinator
    with pytest.raises(DomainError) as error:
        case_final_step_undo(case=returned_case, actor=colleague)
    assert error.value.message == UNDO_NOT_YOURS


def test_an_open_case_has_nothing_to_undo(kurzeme_coordinator):
    case = CaseFactory(coordinator=kurzeme_coordinator)
    with pytest.raises(DomainError) as error:
        case_final_step_undo(case=case, actor=kurzeme_coordinator)
    assert error.value.message == NOTHING_TO_UNDO


def test_undo_through_the_case_page(client, returned_case, kurzeme_coordinator):
    client.force_login(kurzeme_coordinator)
    page = client.get(reverse("workspace:case_detail", args=[returned_case.reference]))
    assert page.context["undo_form"] is not None
    assert b'id="undo"' in page.content

    response = client.post(
        reverse("workspace:case_undo", args=[returned_case.reference]),
        {"undo-expected_status": "returned"},
        follow=True,
    )

    assert response.redirect_chain[-1][0].endswith("#status")
    assert "piedāvājums tiek gatavots" in str(list(response.context["messages"])[0])
    returned_case.refresh_from_db()
    assert returned_case.status == "offer_preparation"
    undo = response.context["timeline"][0].item
    assert undo.undoes.to_value == "returned" and undo.undoes.undone_by == undo


def test_undo_over_a_page_seen_before_a_change_is_refused(client, returned_case,
                                                          kurzeme_coordinator):  # fmt: skip
    client.force_login(kurzeme_coordinator)
    client.post(
        reverse("workspace:case_undo", args=[returned_case.reference]),
        {"undo-expected_status": "closed"},
    )
    returned_case.refresh_from_db()
    assert returned_case.status == "returned"


def test_an_undone_return_leaves_the_funnel_and_the_case_export(returned_case, kurzeme_coordinator):
    from reports.figures.export import CASE_EXPORT_COLUMNS, case_export_rows

    year = timezone.localdate().year
    filters = ReportFilters(
        datetime.date(year, 1, 1), datetime.date(year, 12, 31), regions=(region("KUR"),)
    )

    def returned_step():
        (step,) = [row for row in report_build(filters).funnel if row["key"] == "returned"]
        return step["count"]

    def returned_at():
        rows, _needs = case_export_rows(filters)
        names = [name for name, _label in CASE_EXPORT_COLUMNS]
        (row,) = rows
        return dict(zip(names, row, strict=False))["returned_at"]

    assert returned_step() == 1 and returned_at() is not None

    case_final_step_undo(case=returned_case, actor=kurzeme_coordinator)

    assert returned_step() == 0
    assert returned_at() is None
