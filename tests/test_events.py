"""Events: public registration (LV/EN/RU, the contact form's defences, capacity, consent),
the calendar file, the mails, check-in, the one step that turns attendees into contacts,
the per-event funnel, the region scope and erasure."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from coordinators.models import Case, ContactSubmission, Interaction, Returnee
from coordinators.services.pipeline import case_transition
from events.models import Attendee, Event
from events.services import (
    EVENT_NOT_STARTED,
    NOTHING_TO_TURN,
    event_attendees_prune,
    event_contacts_make,
    event_reminders_send,
    event_version,
)
from intake.forms import timestamp_token
from outbox.models import Email
from privacy.services import returnee_erase
from tests.factories import (
    AnalystFactory,
    AttendeeFactory,
    CaseFactory,
    EventFactory,
    OfferFactory,
    ReturneeFactory,
    region,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def form_settings(settings):
    settings.CONTACT_FORM_MIN_FILL_SECONDS = 0
    settings.CONTACT_FORM_RATE_LIMIT = 10


def registration(**overrides):
    data = {
        "first_name": "Ольга",
        "last_name": "Петрова",
        "email": "Olga.Petrova@example.ie",
        "phone": "",
        "country": "IE",
        "party_size": "2",
        "contact_consent": "on",
        "homepage": "",
        "started": timestamp_token(),
    }
    data.update(overrides)
    return data


def detail_url(event, language="lv"):
    with translation.override(language):
        return reverse("events:detail", args=[event.pk])


def past_event(**kwargs):
    start = timezone.now() - datetime.timedelta(hours=5)
    return EventFactory(starts_at=start, ends_at=start + datetime.timedelta(hours=3), **kwargs)


def test_a_person_registers_in_russian_with_consent_and_gets_a_confirmation(client):
    event = EventFactory()

    response = client.post(detail_url(event, "ru"), registration())

    assert response.status_code == 302
    assert response["Location"] == f"/ru/events/{event.pk}/thank-you/"
    attendee = Attendee.objects.get()
    assert (attendee.email, attendee.party_size, attendee.language) == (
        "olga.petrova@example.ie", 2, "ru",
    )  # fmt: skip
    assert attendee.contact_consent_at is not None and attendee.consent_version
    mail = Email.objects.get(purpose=Email.Purpose.EVENT_CONFIRMATION)
    assert mail.to == "olga.petrova@example.ie"
    assert f"/ru/events/{event.pk}/calendar.ics" in mail.body
    assert "Ольга" in mail.body
    thanks = client.get(response["Location"])
    assert thanks.status_code == 200 and event.title in thanks.content.decode()


def test_without_the_consent_box_nobody_is_to_be_contacted(client):
    event = EventFactory()
    data = registration()
    del data["contact_consent"]

    client.post(detail_url(event), data)

    assert Attendee.objects.get().contact_consent_at is None


def test_the_honeypot_stores_nothing(client):
    response = client.post(detail_url(EventFactory()), registration(homepage="http://spam"))

    assert response.status_code == 400
    assert not Attendee.objects.exists() and not Email.objects.exists()


def test_a_form_sent_too_fast_is_shown_again_with_what_was_typed(client, settings):
    settings.CONTACT_FORM_MIN_FILL_SECONDS = 60

    response = client.post(detail_url(EventFactory()), registration())

    assert response.status_code == 200
    assert not Attendee.objects.exists()
    assert "Петрова" in response.content.decode()


def test_the_same_form_sent_twice_registers_once(client):
    event, data = EventFactory(), registration()

    client.post(detail_url(event), data)
    client.post(detail_url(event), data)

    assert Attendee.objects.count() == 1
    assert Email.objects.count() == 1


def test_bad_input_is_a_field_error_never_a_500(client):
    response = client.post(detail_url(EventFactory()), registration(party_size="many", email="x"))

    assert response.status_code == 200
    assert response.context["form"].errors.keys() == {"party_size", "email"}
    assert 'value="Петрова"' in response.content.decode()


def test_a_full_event_says_so_and_refuses_more_people(client):
    event = EventFactory(capacity=3)
    AttendeeFactory(event=event, party_size=2)

    too_many = client.post(detail_url(event), registration(party_size="2"))
    assert too_many.status_code == 200
    assert "1" in str(too_many.context["form"].errors["party_size"])
    assert client.post(detail_url(event), registration(party_size="1")).status_code == 302

    full = client.get(detail_url(event))
    assert 'data-testid="event-full"' in full.content.decode()
    assert Attendee.objects.filter(event=event).count() == 2


def test_the_rate_limit_keeps_what_was_typed(client, settings):
    settings.CONTACT_FORM_RATE_LIMIT = 1
    event = EventFactory()
    client.post(detail_url(event), registration())

    response = client.post(detail_url(event), registration(email="second@example.ie"))

    assert response.status_code == 429
    assert "second@example.ie" in response.content.decode()
    assert Attendee.objects.count() == 1


def test_one_connection_cannot_take_all_the_places_with_made_up_people(client, settings):
    settings.CONTACT_FORM_RATE_LIMIT = 100
    settings.EVENT_PLACES_PER_CONNECTION = 12
    event = EventFactory(capacity=50)

    statuses = [
        client.post(detail_url(event), registration(party_size="5", email=f"v{n}@example.org",
                                                    started=timestamp_token())).status_code
        for n in range(4)
    ]  # fmt: skip

    assert statuses == [302, 302, 429, 429]  # 5 + 5 places, then 15 > 12
    assert event.places_taken() == 10
    assert Email.objects.count() == 2


def test_one_address_registers_once_and_gets_one_mail(client):
    event = EventFactory()
    for token in (timestamp_token(), timestamp_token()):
        response = client.post(detail_url(event), registration(started=token))
        assert response.status_code == 302  # the same answer: no hint, no second place

    assert Attendee.objects.filter(event=event).count() == 1
    assert Email.objects.count() == 1


def test_unpublished_and_past_events_are_not_public(client):
    hidden, past = EventFactory(published=False), past_event()

    assert client.get(detail_url(hidden)).status_code == 404
    assert client.get(detail_url(past)).status_code == 404
    listing = client.get(reverse("events:list")).content.decode()
    assert hidden.title not in listing.replace(EventFactory(title="Cits").title, "")


def test_the_public_list_shows_upcoming_published_events_soonest_first(client):
    later = EventFactory(title="Later", starts_at=timezone.now() + datetime.timedelta(days=30))
    sooner = EventFactory(title="Sooner")
    EventFactory(title="Draft", published=False)

    response = client.get("/en/events/")

    assert [event.pk for event in response.context["events"]] == [sooner.pk, later.pk]


def test_the_calendar_file_is_rfc_5545(client):
    event = EventFactory(title="Seminārs; Dublinā, ar garu nosaukumu " + "ā" * 60)

    response = client.get(reverse("events:ical", args=[event.pk]))

    assert response["Content-Type"].startswith("text/calendar")
    text = response.content.decode()
    assert text.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
    assert "SUMMARY:Seminārs\\; Dublinā\\, ar" in text
    assert f"DTSTART:{event.starts_at.astimezone(datetime.UTC):%Y%m%dT%H%M%SZ}" in text
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    assert text.endswith("END:VCALENDAR\r\n")


def test_no_control_character_in_a_title_starts_a_property_of_its_own(client):
    event = EventFactory(title="Seminārs\rATTACH:http://evil.example/x\x0bZ")

    text = client.get(reverse("events:ical", args=[event.pk])).content.decode()

    lines = text.split("\r\n")
    assert not any(line.startswith("ATTACH") for line in lines)
    assert "\r" not in text.replace("\r\n", "") and "\x0b" not in text
    assert "SUMMARY:Seminārs\\nATTACH:http://evil.example/xZ" in text


def test_the_reminder_goes_once_the_day_before(client):
    tomorrow = timezone.now() + datetime.timedelta(days=1)
    event = EventFactory(starts_at=tomorrow, ends_at=tomorrow + datetime.timedelta(hours=2))
    AttendeeFactory(event=event, email="a@example.org")
    AttendeeFactory(email="later@example.org")  # next week: not yet

    assert event_reminders_send() == "reminders=1"
    assert event_reminders_send() == "reminders=0"
    (mail,) = Email.objects.filter(purpose=Email.Purpose.EVENT_REMINDER)
    assert mail.to == "a@example.org"


def test_the_reminder_job_is_scheduled():
    from jobs.schedule import SCHEDULE

    assert "events.services.event_reminders_send" in {job.function for job in SCHEDULE}


# --- Staff ---------------------------------------------------------------------------------


def test_a_coordinator_creates_an_event_for_their_region(client, kurzeme_coordinator):
    client.force_login(kurzeme_coordinator)
    start = timezone.localtime() + datetime.timedelta(days=10)
    data = {
        "title": "Ģimeņu sporta pēcpusdiena", "kind": "family",
        "organiser_region": region("KUR").pk,
        "country": "GB", "city": "London", "starts_at": start.strftime("%d.%m.%Y %H:%M"),
        "ends_at": (start + datetime.timedelta(hours=2)).strftime("%d.%m.%Y %H:%M"),
        "language": "lv", "capacity": "30", "published": "on",
    }  # fmt: skip

    response = client.post(reverse("events:staff_create"), data)

    event = Event.objects.get()
    assert response["Location"] == reverse("events:staff_detail", args=[event.pk])
    assert event.created_by == kurzeme_coordinator


def test_a_coordinator_cannot_organise_for_another_region(client, zemgale_coordinator):
    client.force_login(zemgale_coordinator)
    start = timezone.localtime() + datetime.timedelta(days=10)

    response = client.post(
        reverse("events:staff_create"),
        {"title": "X", "kind": "seminar", "organiser_region": region("KUR").pk, "city": "Oslo",
         "starts_at": start.strftime("%d.%m.%Y %H:%M"), "ends_at": "01.01.2000 10:00",
         "language": "lv", "capacity": "10"},
    )  # fmt: skip

    assert response.status_code == 200
    assert "organiser_region" in response.context["form"].errors
    assert not Event.objects.exists()


def test_an_edit_over_a_newer_change_is_refused_with_what_was_typed(client, kurzeme_coordinator):
    event = EventFactory()
    client.force_login(kurzeme_coordinator)
    form = client.get(reverse("events:staff_edit", args=[event.pk])).context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    data["starts_at"] = timezone.localtime(event.starts_at).strftime("%d.%m.%Y %H:%M")
    data["ends_at"] = timezone.localtime(event.ends_at).strftime("%d.%m.%Y %H:%M")
    data["published"] = "on"
    Event.objects.filter(pk=event.pk).update(capacity=99)  # someone else, meanwhile

    response = client.post(
        reverse("events:staff_edit", args=[event.pk]), {**data, "title": "Mans virsraksts"}
    )

    assert response.status_code == 200
    assert "Mans virsraksts" in response.content.decode()
    event.refresh_from_db()
    assert (event.capacity, event.title) == (99, EventFactory._meta.declarations["title"])
    again = client.post(
        reverse("events:staff_edit", args=[event.pk]),
        {**data, "title": "Mans virsraksts", "version": event_version(event), "capacity": 99},
    )
    assert again.status_code == 302


def test_a_zemgale_coordinator_cannot_see_or_touch_a_kurzeme_event(client, zemgale_coordinator):
    event = EventFactory()
    attendee = AttendeeFactory(event=event)
    client.force_login(zemgale_coordinator)

    assert client.get(reverse("events:staff_detail", args=[event.pk])).status_code == 404
    assert client.get(reverse("events:staff_edit", args=[event.pk])).status_code == 404
    check_in = reverse("events:check_in", args=[event.pk, attendee.pk])
    assert client.post(check_in).status_code == 404
    assert client.post(reverse("events:contacts_make", args=[event.pk])).status_code == 404
    listing = client.get(reverse("events:staff_list"))
    assert list(listing.context["events"]) == []
    attendee.refresh_from_db()
    assert attendee.checked_in_at is None


def test_check_in_is_one_post_per_attendee_with_a_confirmation(client, kurzeme_coordinator):
    event = EventFactory()
    attendee = AttendeeFactory(event=event, first_name="Jānis", last_name="Bērziņš")
    client.force_login(kurzeme_coordinator)

    response = client.post(reverse("events:check_in", args=[event.pk, attendee.pk]), follow=True)

    attendee.refresh_from_db()
    assert attendee.checked_in_at is not None
    assert "Jānis Bērziņš" in response.content.decode()
    assert response.redirect_chain[-1][0].endswith(f"#attendee-{attendee.pk}")


def test_attendees_who_agreed_become_cases_once(client, kurzeme_coordinator):
    event = past_event()
    agreed = AttendeeFactory(event=event, checked_in_at=timezone.now(), party_size=3)
    AttendeeFactory(event=event, checked_in_at=timezone.now(), contact_consent_at=None)
    AttendeeFactory(event=event)  # agreed but did not come
    client.force_login(kurzeme_coordinator)

    client.post(reverse("events:contacts_make", args=[event.pk]))

    case = Case.objects.get()
    assert (case.source, case.planning_region, case.returnee.email) == (
        Case.Source.EVENT, region("KUR"), agreed.email,
    )  # fmt: skip
    assert case.returnee.consent_given_at == agreed.contact_consent_at
    interaction = case.interactions.get()
    assert interaction.kind == Interaction.Kind.EVENT and event.title in interaction.summary
    assert event_contacts_make(event=event, actor=kurzeme_coordinator) == str(NOTHING_TO_TURN)
    assert Case.objects.count() == 1


def test_a_known_person_is_matched_not_duplicated(kurzeme_coordinator):
    event = past_event()
    open_case = CaseFactory(returnee=ReturneeFactory(email="known@example.org"))
    closed = CaseFactory(returnee=ReturneeFactory(email="closed@example.org"))
    case_transition(
        case=closed, to_status="closed", actor=kurzeme_coordinator, closed_reason="no_response"
    )
    for email in ("known@example.org", "closed@example.org"):
        AttendeeFactory(event=event, email=email, checked_in_at=timezone.now())

    event_contacts_make(event=event, actor=kurzeme_coordinator)

    assert Returnee.objects.count() == 2 and Case.objects.count() == 2
    open_case.refresh_from_db()
    assert open_case.needs_attention
    assert open_case.interactions.get().kind == Interaction.Kind.EVENT
    to_check = ContactSubmission.objects.get()
    assert to_check.status == ContactSubmission.Status.TO_CHECK
    assert to_check.existing_returnee == closed.returnee
    assert to_check.planning_region == region("KUR")


def test_the_organiser_page_names_no_case_of_another_region(client, kurzeme_coordinator):
    """A known person's open case in Zemgale gets the event (its coordinator is flagged);
    the Kurzeme organiser's page says so without naming or linking that case."""
    event = past_event()
    zemgale_case = CaseFactory(
        planning_region=region("ZEM"), returnee=ReturneeFactory(email="known@example.org")
    )
    AttendeeFactory(event=event, email="known@example.org", checked_in_at=timezone.now())
    event_contacts_make(event=event, actor=kurzeme_coordinator)
    client.force_login(kurzeme_coordinator)

    page = client.get(reverse("events:staff_detail", args=[event.pk])).content.decode()

    assert zemgale_case.reference not in page
    assert "citā reģionā" in page


def test_contacts_wait_for_the_event_to_start(kurzeme_coordinator):
    event = EventFactory()
    AttendeeFactory(event=event, checked_in_at=timezone.now())

    with pytest.raises(Exception) as refused:
        event_contacts_make(event=event, actor=kurzeme_coordinator)

    assert refused.value.message == EVENT_NOT_STARTED
    assert not Case.objects.exists()


def test_the_event_funnel_counts_attendees_cases_offers_and_returned(client, kurzeme_coordinator):
    event = past_event()
    for _n in range(3):
        AttendeeFactory(event=event, checked_in_at=timezone.now())
    AttendeeFactory(event=event, contact_consent_at=None)
    event_contacts_make(event=event, actor=kurzeme_coordinator)
    first, second, _third = Case.objects.order_by("pk")
    OfferFactory(case=first, status="sent", sent_at=timezone.now())
    OfferFactory(case=second, status="sent", sent_at=timezone.now())
    for status in ("contacted", "decided_to_return", "returned"):
        case_transition(case=first, to_status=status, actor=kurzeme_coordinator)
    client.force_login(kurzeme_coordinator)

    response = client.get(reverse("events:staff_detail", args=[event.pk]))

    funnel = response.context["funnel"]
    steps = ("registrations", "checked_in", "cases", "offers", "returned")
    assert [funnel[step] for step in steps] == [4, 3, 3, 2, 1]


def test_erasure_scrubs_the_persons_registrations(kurzeme_coordinator):
    from tests.test_erasure_everywhere import copies_left

    event = past_event()
    AttendeeFactory(
        event=event, first_name="Zvaigznīte", last_name="Mēnestiņa-Ūdre",
        email="zvaigznite.udre@example.org", phone="+447911765432", checked_in_at=timezone.now(),
    )  # fmt: skip
    event_contacts_make(event=event, actor=kurzeme_coordinator)
    assert copies_left()

    returnee_erase(returnee=Returnee.objects.get(), actor=kurzeme_coordinator)

    assert copies_left() == []
    assert Attendee.objects.get().party_size == 1


def test_the_notice_states_the_registration_retention_the_job_applies(client, settings):
    settings.EVENT_ATTENDEE_RETENTION_DAYS = 30
    notice = client.get("/en/let-us-know/privacy-notice/").content.decode()
    assert "until 30 days after the event" in notice
    old = EventFactory(
        starts_at=timezone.now() - datetime.timedelta(days=32),
        ends_at=timezone.now() - datetime.timedelta(days=31),
    )
    gone, kept = AttendeeFactory(event=old, phone="+353861234567"), AttendeeFactory()

    assert event_attendees_prune() == "attendees_pruned=1"

    gone.refresh_from_db(), kept.refresh_from_db()
    assert (gone.first_name, gone.email, gone.phone, gone.party_size) == ("—", "", "", 1)
    assert kept.email
    assert event_attendees_prune() == "attendees_pruned=0"


def test_the_attendee_list_runs_a_constant_number_of_queries(
    client, kurzeme_coordinator, django_assert_max_num_queries
):
    event = past_event()
    client.force_login(kurzeme_coordinator)
    url = reverse("events:staff_detail", args=[event.pk])
    AttendeeFactory(event=event, case=CaseFactory())
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _n in range(10):
        AttendeeFactory(event=event, case=CaseFactory())
    with django_assert_max_num_queries(len(few)):
        client.get(url)


def test_the_event_list_shows_each_events_funnel(client, kurzeme_coordinator):
    event = past_event()
    AttendeeFactory(event=event, checked_in_at=timezone.now())
    event_contacts_make(event=event, actor=kurzeme_coordinator)
    EventFactory(title="Cits")
    client.force_login(kurzeme_coordinator)

    response = client.get(reverse("events:staff_list"), {"sort": "title"})

    rows = {e.title: (f["checked_in"], f["cases"]) for e, f in response.context["rows"]}
    assert rows == {event.title: (1, 1), "Cits": (0, 0)}


def test_the_reports_show_each_events_funnel_in_the_readers_scope(client, kurzeme_coordinator):
    """Kurzeme's seminar: three registered, two came, both became cases, one got an offer
    and returned. A Kurzeme analyst sees it with its totals; a Zemgale analyst does not."""
    seminar = past_event(title="Karjeras iespējas Liepājā")
    past_event(title="Zemgales tikšanās", organiser_region=region("ZEM"))
    came = [AttendeeFactory(event=seminar, checked_in_at=timezone.now()) for _ in range(2)]
    AttendeeFactory(event=seminar)
    event_contacts_make(event=seminar, actor=kurzeme_coordinator)
    case = Attendee.objects.get(pk=came[0].pk).case
    OfferFactory(case=case, status="sent", sent_at=timezone.now())
    for status in ("contacted", "offer_preparation", "returned"):
        case_transition(case=case, to_status=status, actor=kurzeme_coordinator)
    today = timezone.localdate().strftime("%d.%m.%Y")
    query = {"date_from": "01.01." + today[-4:], "date_to": today}

    client.force_login(AnalystFactory())
    page = client.get(reverse("events:report"), query)
    (row,) = page.context["rows"]
    assert (row["title"], row["registrations"], row["checked_in"], row["cases"]) == (
        seminar.title, 3, 2, 2,
    )  # fmt: skip
    assert (row["offers"], row["returned"]) == (1, 1)
    assert page.context["totals"]["cases"] == 2
    assert "Zemgales tikšanās" not in page.content.decode()

    client.force_login(AnalystFactory(planning_region=region("ZEM")))
    (row,) = client.get(reverse("events:report"), query).context["rows"]
    assert row["title"] == "Zemgales tikšanās" and row["registrations"] == 0
