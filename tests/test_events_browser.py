"""Acceptance for events in headless Chromium: a person registers for a seminar in Dublin in
Russian; the coordinator checks them in on a 390 px phone and turns the attendees into
cases. With SCREENSHOTS_DIR set, each page is saved as events-*.png."""

import datetime
import os
from pathlib import Path

import pytest
from django.db import connections
from django.utils import timezone

from coordinators.models import Case, Interaction
from events.models import Attendee
from outbox.models import Email
from tests.factories import AttendeeFactory, CoordinatorFactory, EventFactory
from tests.report_data import LIEPAJA, S, make_case, move, offer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def quick_forms(settings):
    settings.CONTACT_FORM_MIN_FILL_SECONDS = 0


def shooter(page):
    shots = os.environ.get("SCREENSHOTS_DIR")

    def shoot(name):
        if shots:
            Path(shots).mkdir(parents=True, exist_ok=True)
            page.screenshot(path=f"{shots}/events-{name}.png", full_page=True)

    return shoot


def figures_data():
    """Kurzeme this year: six returned to Liepāja (with partners), five still in contact."""
    year = timezone.localdate().year
    for number in range(11):
        case = make_case((year, 1, 1 + number), municipality=LIEPAJA, household=["partner"])
        move(case, S.CONTACTED, (year, 1, 20))
        offer(case, 1, (year, 1, 25), (year, 1, 26))
        if number < 6:
            move(case, S.DECIDED_TO_RETURN, (year, 2, 1))
            move(case, S.RETURNED, (year, 2, 10 + number))


def test_register_in_russian_check_in_on_a_phone_and_make_cases(live_server, browser):
    CoordinatorFactory(username="anna")
    start = timezone.now() - datetime.timedelta(minutes=30)  # under way: check-in time
    event = EventFactory(
        title="Karjeras iespējas un dzīves kvalitāte Liepājā",
        venue="Hotel Riu Plaza The Gresham", city="Dublin", country="IE", starts_at=start,
        ends_at=start + datetime.timedelta(hours=3), language="ru", capacity=30,
        description="Liepājas pašvaldība un Kurzemes plānošanas reģions stāsta par darbu, "
        "mājokli un skolām.",
    )  # fmt: skip
    EventFactory(title="Ģimeņu sporta pēcpusdiena", city="London", country="GB")
    AttendeeFactory(event=event, first_name="Pēteris", last_name="Kalniņš", party_size=3)
    desktop = browser.new_page(viewport={"width": 1280, "height": 900}, locale="ru-RU")
    shoot = shooter(desktop)

    desktop.goto(f"{live_server.url}/ru/events/")
    shoot("public-list-ru")
    desktop.click(f"a[href='/ru/events/{event.pk}/']")
    desktop.wait_for_selector("h1:has-text('Karjeras')")
    desktop.fill("#id_first_name", "Ольга")
    desktop.fill("#id_last_name", "Петрова")
    desktop.fill("#id_email", "olga.petrova@example.ie")
    desktop.select_option("#id_country", "IE")
    desktop.fill("#id_party_size", "2")
    desktop.check("#id_contact_consent")
    shoot("public-register-ru")
    desktop.click("form.contact-form button[type=submit]")
    desktop.wait_for_selector("[data-testid=registered]")
    assert "Вы зарегистрированы" in desktop.inner_text("h1")
    shoot("registered-ru")
    figures_data()
    desktop.goto(f"{live_server.url}/figures/")
    shoot("public-figures")
    widget = browser.new_page(viewport={"width": 360, "height": 420}, locale="lv-LV")
    widget.goto(f"{live_server.url}/figures/widget/")
    shooter(widget)("figures-widget")

    phone = browser.new_page(viewport={"width": 390, "height": 844}, locale="lv-LV")
    shoot = shooter(phone)
    phone.goto(f"{live_server.url}/login/")
    phone.fill("#id_username", "anna")
    phone.fill("#id_password", "parole-123")
    phone.click("main [type=submit]")
    phone.goto(f"{live_server.url}/manage/events/")
    shoot("staff-list")
    phone.click(f"a[href='/manage/events/{event.pk}/']")
    shoot("staff-attendees-phone")
    olga = phone.locator(".attendee", has_text="Петрова")
    button = olga.locator("button")
    assert button.bounding_box()["height"] >= 44  # a thumb-sized target
    button.click()
    phone.wait_for_selector(".message--success")
    assert phone.locator(".attendee--in", has_text="Петрова").is_visible()
    phone.locator(".attendee", has_text="Kalniņš").locator("button").click()
    shoot("staff-checked-in-phone")
    phone.click("form[action$='/contacts/'] button")
    phone.wait_for_selector(".message--success")
    shoot("staff-contacts-made")
    phone.goto(f"{live_server.url}/manage/events/new/")
    shoot("staff-form")

    try:
        cases = Case.objects.filter(source=Case.Source.EVENT)
        assert sorted(cases.values_list("returnee__last_name", flat=True)) == [
            "Kalniņš", "Петрова",
        ]  # fmt: skip
        assert {case.planning_region.code for case in cases} == {"KUR"}
        assert Interaction.objects.filter(kind="event", case__in=cases).count() == 2
        assert Attendee.objects.get(last_name="Петрова").language == "ru"
        assert Email.objects.filter(purpose="event_confirmation").count() == 1
    finally:
        connections.close_all()
