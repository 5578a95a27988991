"""Issue 13's acceptance test in Chromium: the person writes in Russian, opens their page
from the confirmation mail, asks for changes to the offer and uploads a PDF; the
coordinator sees both on the timeline and sends version 2; the person accepts it and the
case is "decided to return". Screenshots in docs/screenshots/returnee-*.png; axe finds no
serious violation on the person's pages at 390 px and on a desktop."""

import re
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.db import connections
from django.urls import reverse
from django.utils import translation

from coordinators.models import Case
from coordinators.services.pipeline import case_transition
from offers import services as offer_services
from outbox.models import Email
from tests.factories import CoordinatorFactory, region

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
SERIOUS = {"serious", "critical"}
PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture(autouse=True)
def contact_settings(settings):
    settings.CONTACT_FORM_MIN_FILL_SECONDS = 0


@pytest.fixture
def person(browser):
    context = browser.new_context(locale="ru-RU", viewport=PHONE)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def staff(browser):
    context = browser.new_context(locale="lv-LV", viewport=DESKTOP)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def serious_violations(page):
    results = Axe().run(page)
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']}"
        for violation in results.response["violations"]
        if violation["impact"] in SERIOUS
    ]


def accessible_at_both_widths(page):
    """No serious axe violation and no sideways scrolling at 390 px; none on a desktop."""
    page.set_viewport_size(PHONE)
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    assert serious_violations(page) == []
    page.set_viewport_size(DESKTOP)
    assert serious_violations(page) == []
    page.set_viewport_size(PHONE)


def mail_link(live_server, purpose, number=0):
    """The personal link of a mail to the person, on the live server's host."""
    body = Email.objects.filter(purpose=purpose).order_by("id")[number].body
    url = re.search(r"https://\S+(/p/\S+/)", body)
    assert url, body
    return live_server.url + url[1]


def shot(page, name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"returnee-{name}.png"), full_page=True)


def send_version(case, coordinator):
    """The coordinator's part, through the same services as the offer builder's buttons."""
    offer = offer_services.offer_create_draft(case=case, actor=coordinator)
    if not offer.items.exists():
        offer_services.offer_item_add(
            offer=offer, need=case.needs.first(), title="Детский сад",
            text="Место в детском саду в Лиепае с сентября.",
        )  # fmt: skip
    return offer_services.offer_send(offer=offer, actor=coordinator)


def test_the_person_answers_the_offer_on_their_page(live_server, person, staff):
    try:
        run_the_story(live_server, person, staff)
    finally:
        connections.close_all()


def run_the_story(live_server, page, staff):
    with translation.override("ru"):
        form_url = reverse("intake:contact")
    page.goto(live_server.url + form_url)
    page.fill("#id_first_name", "Ольга")
    page.fill("#id_last_name", "Иванова")
    page.fill("#id_email", "olga.ivanova@example.com")
    page.select_option("#id_country", "DE")
    page.select_option("#id_preferred_language", "ru")
    page.select_option("#id_planning_region", label="Kurzemes plānošanas reģions")
    page.locator("input[name=timeframe]").first.check()
    page.fill("#id_adults", "2")
    page.locator("input[name=needs]").first.check()
    page.check("#id_consent")
    page.locator("form.contact-form [type=submit]").click()
    page.wait_for_url("**/thank-you/")
    assert "Спасибо" in page.content()

    case = Case.objects.select_related("returnee").get()
    coordinator = CoordinatorFactory(
        username="anna", first_name="Anna", last_name="Kalniņa", email="anna@kurzeme.lv",
        planning_region=region("KUR"),
    )  # fmt: skip
    Case.objects.filter(pk=case.pk).update(coordinator=coordinator)

    # The confirmation mail's link opens the page, at a clean address, in Russian.
    page.goto(mail_link(live_server, Email.Purpose.CONTACT_CONFIRMATION))
    assert page.url == live_server.url + reverse("returnee:page")
    assert case.reference in page.content()
    assert "Мы получили ваше сообщение" in page.content()
    shot(page, "page")
    accessible_at_both_widths(page)

    # The coordinator sends an offer; the person opens it from the offer mail.
    for status in (Case.Status.CONTACTED, Case.Status.NEEDS_ASSESSED):
        case_transition(case=case, to_status=status, actor=coordinator)
    send_version(case, coordinator)
    page.goto(mail_link(live_server, Email.Purpose.OFFER))
    page.click(f"a[href='{reverse('returnee:offer', args=[1])}']")
    assert "Детский сад" in page.content()
    accessible_at_both_widths(page)
    page.check("input[value=changes_requested]")
    page.fill("#id_note", "Нам нужна и работа в Лиепае.")
    shot(page, "offer")
    page.locator("form[action$='/answer/'] [type=submit]").click()
    assert page.locator(".message--success").is_visible()

    # A PDF of a diploma.
    page.set_input_files(
        "#id_file", files=[{"name": "diplom.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    page.locator("form[action$='/documents/'] [type=submit]").click()
    assert page.locator(".message--success").is_visible()
    assert "diplom.pdf" in page.content()

    # The coordinator sees both on the case page.
    staff.goto(live_server.url + reverse("login"))
    staff.fill("#id_username", "anna")
    staff.fill("#id_password", "parole-123")
    staff.click("main [type=submit]")
    staff.goto(live_server.url + reverse("workspace:case_detail", args=[case.reference]))
    timeline = staff.locator("#timeline")
    assert "Нам нужна и работа в Лиепае." in timeline.inner_text()
    assert timeline.get_by_text("persona pati").count() >= 2  # "by the person"
    assert staff.locator("#documents").get_by_text("diplom.pdf").is_visible()
    shot(staff, "staff-case")

    # Version 2; the person accepts it.
    case.refresh_from_db()
    send_version(case, coordinator)
    page.goto(live_server.url + reverse("returnee:offer", args=[2]))
    page.check("input[value=accepted]")
    page.locator("form[action$='/answer/'] [type=submit]").click()
    assert page.locator(".message--success").is_visible()
    case.refresh_from_db()
    assert case.status == Case.Status.DECIDED_TO_RETURN
    shot(page, "accepted")

    # The person's other pages, and the page a wrong link shows.
    page.goto(live_server.url + reverse("returnee:details"))
    accessible_at_both_widths(page)
    shot(page, "details")
    page.goto(live_server.url + "/p/not-a-link/")
    assert case.reference not in page.content()
    accessible_at_both_widths(page)
    shot(page, "link-invalid")
