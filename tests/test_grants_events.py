"""A funded activity linked to the portal's events: the report offers only the call's
region's events, the application page shows the contacts they brought, the export lists
them."""

import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from common.errors import DomainError
from events.services import event_contacts_make
from grants import services
from grants.models import Call
from tests.factories import (
    AttendeeFactory,
    CoordinatorFactory,
    EventFactory,
    SpecialistFactory,
    grant_application,
    grant_call,
    region,
)

pytestmark = pytest.mark.django_db


def held_event(**kwargs):
    start = timezone.now() - datetime.timedelta(days=2)
    return EventFactory(starts_at=start, ends_at=start + datetime.timedelta(hours=3), **kwargs)


@pytest.fixture
def funded():
    """A Kurzeme call decided, Liepāja's application awarded 9,900 EUR."""
    chair = CoordinatorFactory(first_name="Ilze", last_name="Priekšsēdētāja")
    specialist = SpecialistFactory()
    call = grant_call(members=[chair], chair=chair)
    application = grant_application(call=call, specialist=specialist)
    Call.objects.filter(pk=call.pk).update(deadline=timezone.now() - datetime.timedelta(hours=1))
    call.refresh_from_db()
    services.call_decide(
        call=call, actor=chair, awards={application.pk: Decimal("9900")}, version=None
    )
    return {"chair": chair, "specialist": specialist, "call": call, "application": application}


def seminar_with_contacts(coordinator):
    """A Dublin seminar: three checked in and agreed, one did not come; the three become
    cases."""
    event = held_event(title="Semināri Dublinā")
    for _n in range(3):
        AttendeeFactory(event=event, checked_in_at=timezone.now())
    AttendeeFactory(event=event)
    event_contacts_make(event=event, actor=coordinator)
    return event


def report(client, funded, **data):
    application = funded["application"]
    activity = application.activities.get()
    client.force_login(funded["specialist"])
    url = reverse("grants:activity_report", args=[application.pk, activity.pk])
    fields = {"done": "on", "spent": "9850.50", "people_reached": "130", "events_held": "1"}
    return client.post(url, fields | data), activity


def test_a_funded_activity_linked_to_an_event_shows_the_contacts_it_brought(client, funded):
    event = seminar_with_contacts(funded["chair"])

    response, activity = report(client, funded, events=[event.pk])

    assert response.status_code == 302
    assert list(activity.events.all()) == [event]
    page = client.get(reverse("grants:application_detail", args=[funded["application"].pk]))
    [row] = page.context["event_funnels"]
    steps = ("activity", "title", "registrations", "checked_in", "cases", "offers", "returned")
    assert [row[step] for step in steps] == [activity.title, event.title, 4, 3, 3, 0, 0]
    assert "Semināri Dublinā" in page.content.decode()


def test_the_report_offers_only_the_calls_regions_events(client, funded):
    ours = held_event(title="Liepājas seminārs Dublinā")
    held_event(title="Zemgales tikšanās Londonā", organiser_region=region("ZEM"))
    application = funded["application"]
    activity = application.activities.get()
    client.force_login(funded["specialist"])

    page = client.get(reverse("grants:activity_report", args=[application.pk, activity.pk]))

    assert list(page.context["form"].fields["events"].queryset) == [ours]
    assert "Zemgales tikšanās" not in page.content.decode()


def test_another_regions_event_cannot_be_linked(client, funded):
    theirs = held_event(title="Zemgales tikšanās Londonā", organiser_region=region("ZEM"))

    response, activity = report(client, funded, events=[theirs.pk], people_reached="77")

    assert response.status_code == 200
    assert response.context["form"].errors["events"]
    assert response.context["form"]["people_reached"].value() == "77"
    activity.refresh_from_db()
    assert activity.reported_at is None and not activity.events.exists()


def test_the_service_refuses_another_regions_event(funded):
    theirs = held_event(organiser_region=region("ZEM"))
    activity = funded["application"].activities.get()

    with pytest.raises(DomainError):
        services.activity_report(
            activity=activity, done=True, spent=None, people_reached=None, events_held=1,
            events=[theirs],
        )  # fmt: skip

    activity.refresh_from_db()
    assert activity.reported_at is None and not activity.events.exists()


def test_the_export_lists_the_linked_events_and_their_cases(client, funded):
    event = seminar_with_contacts(funded["chair"])
    report(client, funded, events=[event.pk])
    client.force_login(funded["chair"])

    response = client.get(reverse("grants:export_xlsx", args=[funded["call"].pk]))

    sheet = load_workbook(io.BytesIO(response.content)).worksheets[2]
    titles, cases = (cell.value for cell in sheet[2][-2:])
    assert (titles, cases) == ("Semināri Dublinā", 3)
