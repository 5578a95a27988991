import datetime

import pytest
from django.forms.models import model_to_dict
from django.utils import timezone

from coordinators.models import Case, CaseEvent, ReferenceSequence, Returnee
from coordinators.services.history import (
    NOT_A_NEW_CASE,
    Step,
    cases_bulk_create,
    history_append,
    history_events,
    pipeline_path,
)
from coordinators.services.pipeline import case_transition
from offers.history import offers_from_history
from tests import factories

pytestmark = pytest.mark.django_db
S = Case.Status
MAIN_STEPS = pipeline_path(to_status=S.OFFER_SENT)


def at(year, month, day):
    return timezone.make_aware(datetime.datetime(year, month, day, 12, 0))


def new_case(when, region="KUR"):
    return Case(
        returnee=Returnee.objects.create(first_name="Anna", last_name="Liepa"),
        planning_region=factories.region(region) if region else None,
        created_at=when,
    )


def test_history_refuses_a_step_the_pipeline_lacks():
    case = new_case(at(2022, 1, 1))
    with pytest.raises(ValueError, match="from 'new' to 'returned'"):
        history_events(case=case, steps=[Step(S.RETURNED, at(2022, 2, 1))])


def test_history_refuses_a_closing_without_reason_and_steps_out_of_time():
    case = new_case(at(2022, 1, 1))
    case.status_changed_at = case.created_at
    with pytest.raises(ValueError, match="needs one of"):
        history_events(case=case, steps=[Step(S.CLOSED, at(2022, 2, 1))])
    with pytest.raises(ValueError, match="comes before"):
        history_events(case=case, steps=[Step(S.CONTACTED, at(2021, 12, 1))])
    with pytest.raises(ValueError, match="in the future"):
        history_events(case=case, steps=[Step(S.CONTACTED, timezone.now() + datetime.timedelta(1))])


def test_history_writes_what_case_transition_writes(kurzeme_coordinator):
    """The builders date the past; apart from the date they must leave the same rows."""
    by_service = factories.CaseFactory()
    case_transition(case=by_service, to_status=S.CLOSED, actor=kurzeme_coordinator,
                    closed_reason="no_response")  # fmt: skip
    by_builder = factories.CaseFactory()
    history_append(
        case=by_builder,
        steps=[Step(S.CLOSED, timezone.now(), "no_response", kurzeme_coordinator)],
    )
    ignored = {"id", "case", "created_at"}
    events = [
        {key: value for key, value in model_to_dict(event).items() if key not in ignored}
        for event in (by_service.events.first(), by_builder.events.first())
    ]
    assert events[0] == events[1]
    by_service.refresh_from_db()
    by_builder.refresh_from_db()
    assert (by_builder.status, by_builder.closed_reason) == (S.CLOSED, "no_response")
    assert by_builder.status_changed_at == by_builder.events.first().created_at
    assert (by_service.status, by_service.closed_reason) == (S.CLOSED, "no_response")


def test_cases_bulk_create_numbers_cases_by_date_and_writes_their_history():
    ReferenceSequence.objects.create(prefix="KUR", year=2022, last_number=7)
    later, earlier, queue = (
        new_case(at(2022, 5, 1)),
        new_case(at(2022, 3, 1)),
        new_case(at(2022, 4, 1), region=None),
    )
    steps = [Step(status, at(2022, 6, day)) for day, status in enumerate(MAIN_STEPS, start=1)]
    events = cases_bulk_create(
        cases=[later, earlier, queue],
        histories=[steps, [], []],
        needs=[[factories.need("work")], [], []],
    )
    assert (earlier.reference, later.reference) == ("KUR-2022-00008", "KUR-2022-00009")
    assert queue.reference == "LV-2022-00001"
    assert len(events) == 3 + len(steps)
    later.refresh_from_db()
    assert later.status == S.OFFER_SENT and later.status_changed_at == at(2022, 6, 4)
    assert list(later.events.values_list("to_value", flat=True)) == [
        "offer_sent", "offer_preparation", "needs_assessed", "contacted", "new"
    ]  # fmt: skip
    assert [need.code for need in later.needs.all()] == ["work"]
    assert CaseEvent.objects.get(case=earlier).kind == CaseEvent.Kind.CREATED


def test_cases_bulk_create_refuses_a_case_that_is_not_new():
    case = new_case(at(2022, 1, 1))
    case.status = S.RETURNED
    with pytest.raises(ValueError, match=NOT_A_NEW_CASE):
        cases_bulk_create(cases=[case])
    assert not Case.objects.exists()


def test_offers_from_history_make_one_version_per_offer_sent():
    case = new_case(at(2022, 1, 1))
    walk = ["contacted", "offer_preparation", "offer_sent", "offer_preparation", "offer_sent"]
    steps = [Step(status, at(2022, 2, day)) for day, status in enumerate(walk, start=1)]
    offers = offers_from_history(case=case, steps=steps)
    assert [(offer.version, offer.sent_at) for offer in offers] == [
        (1, at(2022, 2, 3)),
        (2, at(2022, 2, 5)),
    ]
    assert offers[0].created_at == at(2022, 2, 1) and offers[0].status == "sent"
