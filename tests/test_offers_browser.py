"""The offer builder driven in headless Chromium, as a coordinator uses it."""

import pytest
from django.db import connections
from django.urls import reverse

from coordinators.models import Case
from coordinators.services.pipeline import case_transition
from offers.models import Offer
from outbox.models import Email
from tests.factories import (
    CaseFactory,
    CoordinatorFactory,
    MunicipalServiceFactory,
    ReturneeFactory,
    municipality,
    need,
    offer_draft_with_sections,
)

pytestmark = [
    pytest.mark.browser,
    # The live server runs in another thread, so the data must be committed.
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def browser_page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    yield context.new_page()
    context.close()


def test_coordinator_builds_and_sends_an_offer_in_the_browser(live_server, browser_page):
    coordinator = CoordinatorFactory(username="anna")
    case = CaseFactory(
        returnee=ReturneeFactory(first_name="Ģirts", last_name="Ķēniņš"),
        municipality=municipality("Liepājas valstspilsēta"),
        coordinator=coordinator,
        needs=[need("family")],
    )
    for status in (Case.Status.CONTACTED, Case.Status.NEEDS_ASSESSED):
        case_transition(case=case, to_status=status, actor=coordinator)
    MunicipalServiceFactory(title="Bērnudārzs Liepājā", description="Vieta no septembra.")
    offer = offer_draft_with_sections(case=case, actor=coordinator)
    page = browser_page

    page.goto(live_server.url + reverse("login"))  # the admin is for national admins only
    page.fill("#id_username", "anna")
    page.fill("#id_password", "parole-123")
    page.click("main [type=submit]")
    page.goto(live_server.url + reverse("offers:detail", args=[case.reference, 1]))

    page.click("form.offer-builder__pick [type=submit]")
    assert page.locator(".offer-preview").get_by_text("Vieta no septembra.").is_visible()
    placeholder = page.locator("form.offer-builder__item").first
    placeholder.locator("textarea").fill("Meitai vieta bērnudārzā.")
    placeholder.locator("button:not([formaction])").click()
    send_form = f"form[action$='{reverse('offers:send', args=[case.reference, 1])}']"
    page.check(f"{send_form} input[type=checkbox]")
    page.click(f"{send_form} button")

    assert page.locator(".message--success").is_visible()
    assert page.locator(".offer-status--sent").first.is_visible()
    try:
        offer.refresh_from_db()
        assert offer.status == Offer.Status.SENT
        assert Email.objects.filter(case=case, purpose="offer").exists()
    finally:
        # Queries after Playwright's calls run in another async context with a connection of
        # their own; close it, or PostgreSQL cannot drop the test database at the end.
        connections.close_all()
