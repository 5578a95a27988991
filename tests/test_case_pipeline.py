import pytest

from common.errors import DomainError
from coordinators.models import ALLOWED_TRANSITIONS, Case, CaseEvent
from coordinators.services.cases import COORDINATOR_OUTSIDE_REGION, case_assign
from coordinators.services.pipeline import (
    CLOSED_REASON_REQUIRED,
    STALE_CASE,
    TRANSITION_NOT_ALLOWED,
    case_transition,
)
from tests.factories import CaseFactory, region

pytestmark = pytest.mark.django_db

ALLOWED = [
    (source, target) for source, targets in ALLOWED_TRANSITIONS.items() for target in targets
]
FORBIDDEN = [
    (Case.Status.NEW, Case.Status.RETURNED),
    (Case.Status.NEW, Case.Status.OFFER_SENT),
    (Case.Status.CONTACTED, Case.Status.OFFER_SENT),
    (Case.Status.RETURNED, Case.Status.NEW),
    (Case.Status.CLOSED, Case.Status.RETURNED),
    (Case.Status.OFFER_SENT, Case.Status.NEW),
]


def case_in(status):
    """A case put straight into a status, as the pipeline would have left it."""
    case = CaseFactory()
    closed_reason = Case.ClosedReason.OTHER if status == Case.Status.CLOSED else ""
    Case.objects.filter(pk=case.pk).update(status=status, closed_reason=closed_reason)
    case.refresh_from_db()
    return case


def test_every_status_has_a_row_in_the_table():
    assert set(ALLOWED_TRANSITIONS) == set(Case.Status)


@pytest.mark.parametrize(("source", "target"), ALLOWED)
def test_allowed_transition_changes_status_and_records_event(source, target, kurzeme_coordinator):
    case = case_in(source)
    reason = Case.ClosedReason.NO_RESPONSE if target == Case.Status.CLOSED else ""

    event = case_transition(
        case=case, to_status=target, actor=kurzeme_coordinator, note="zvans", closed_reason=reason
    )

    case.refresh_from_db()
    assert case.status == target
    assert case.closed_reason == reason
    assert (event.kind, event.from_value, event.to_value) == ("status_changed", source, target)
    assert event.closed_reason == reason
    assert event.actor == kurzeme_coordinator
    assert event.note == "zvans"


@pytest.mark.parametrize(("source", "target"), FORBIDDEN)
def test_forbidden_transition_is_refused_and_changes_nothing(source, target, kurzeme_coordinator):
    case = case_in(source)
    events_before = case.events.count()

    with pytest.raises(DomainError) as error:
        case_transition(case=case, to_status=target, actor=kurzeme_coordinator)

    labels = {"from": Case.Status(source).label, "to": Case.Status(target).label}
    assert error.value.message == TRANSITION_NOT_ALLOWED % labels

    case.refresh_from_db()
    assert case.status == source
    assert case.events.count() == events_before


def test_closing_needs_a_reason(kurzeme_coordinator):
    case = CaseFactory()
    with pytest.raises(DomainError) as error:
        case_transition(case=case, to_status=Case.Status.CLOSED, actor=kurzeme_coordinator)
    assert error.value.message == CLOSED_REASON_REQUIRED
    case.refresh_from_db()
    assert case.status == Case.Status.NEW


def test_reopening_a_closed_case_clears_the_reason(kurzeme_coordinator):
    case = case_in(Case.Status.CLOSED)
    case_transition(case=case, to_status=Case.Status.CONTACTED, actor=kurzeme_coordinator)
    case.refresh_from_db()
    assert (case.status, case.closed_reason) == (Case.Status.CONTACTED, "")


def test_moving_to_the_current_status_does_nothing(kurzeme_coordinator):
    case = CaseFactory()
    assert case_transition(case=case, to_status=Case.Status.NEW, actor=kurzeme_coordinator) is None
    assert list(case.events.values_list("kind", flat=True)) == ["created"]


def test_stale_status_is_not_overwritten(kurzeme_coordinator):
    case = CaseFactory()
    seen_by_user = case.status
    case_transition(case=case, to_status=Case.Status.CONTACTED, actor=kurzeme_coordinator)

    with pytest.raises(DomainError) as error:
        case_transition(
            case=Case.objects.get(pk=case.pk),
            to_status=Case.Status.CLOSED,
            closed_reason=Case.ClosedReason.OTHER,
            actor=kurzeme_coordinator,
            expected_status=seen_by_user,
        )
    assert error.value.message == STALE_CASE % {"current": Case.Status.CONTACTED.label}
    case.refresh_from_db()
    assert case.status == Case.Status.CONTACTED


def test_status_and_event_are_written_in_one_transaction(monkeypatch, kurzeme_coordinator):
    case = CaseFactory()

    def fail(**kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(CaseEvent.objects, "create", fail)
    with pytest.raises(RuntimeError):
        case_transition(case=case, to_status=Case.Status.CONTACTED, actor=kurzeme_coordinator)

    assert Case.objects.get(pk=case.pk).status == Case.Status.NEW


def test_database_refuses_a_closed_case_without_reason():
    from django.db import IntegrityError, transaction

    case = CaseFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Case.objects.filter(pk=case.pk).update(status=Case.Status.CLOSED)


def test_references_count_per_region_and_year():
    first = CaseFactory()
    second = CaseFactory()
    zemgale = CaseFactory(planning_region=region("ZEM"))
    undecided = CaseFactory(planning_region=None)
    year = first.created_at.year

    assert first.reference == f"KUR-{year}-00001"
    assert second.reference == f"KUR-{year}-00002"
    assert zemgale.reference == f"ZEM-{year}-00001"
    assert undecided.reference == f"LV-{year}-00001"
    assert first.events.get().kind == CaseEvent.Kind.CREATED


def test_taking_a_case_from_the_national_queue_moves_it_to_the_region(kurzeme_coordinator):
    case = CaseFactory(planning_region=None)
    event = case_assign(case=case, coordinator=kurzeme_coordinator, actor=kurzeme_coordinator)
    case.refresh_from_db()
    assert case.coordinator == kurzeme_coordinator
    assert case.planning_region.code == "KUR"
    assert event.to_value == "kurzeme"
    moved = case.events.get(kind=CaseEvent.Kind.REGION_CHANGED)
    assert (moved.from_value, moved.to_value, moved.planning_region.code) == ("", "KUR", "KUR")


def test_coordinator_of_another_region_cannot_be_assigned(zemgale_coordinator):
    case = CaseFactory()
    with pytest.raises(DomainError) as error:
        case_assign(case=case, coordinator=zemgale_coordinator, actor=zemgale_coordinator)
    assert error.value.message == COORDINATOR_OUTSIDE_REGION
