"""The contact form in a real browser (Debian's Chromium through Playwright) against the
live server, and an axe-core accessibility check (axe.min.js ships inside the
axe-playwright-python wheel, so nothing is fetched at test time)."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.cache import cache

from coordinators.models import Case, HouseholdMember
from outbox.models import Email

pytestmark = [
    pytest.mark.browser,
    # The live server needs committed data; the reference_data fixture (conftest) puts back
    # the regions, municipalities and needs that the flush after each test removes.
    pytest.mark.django_db(transaction=True),
]

SERIOUS = {"serious", "critical"}
FIRST_NAME = re.compile(r"^Vārds")  # the label also holds the "required" star


@pytest.fixture(autouse=True)
def contact_settings(settings):
    settings.CONTACT_FORM_MIN_FILL_SECONDS = 0
    cache.clear()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="lv-LV")
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


def test_person_fills_the_latvian_form_and_the_case_is_made(page, live_server):
    page.goto(f"{live_server.url}/dod-zinu/")
    page.get_by_label(FIRST_NAME).fill("Ģirts")
    page.get_by_label("Uzvārds").fill("Ķēniņš")
    page.get_by_label("E-pasts").fill("girts.kenins@example.com")
    page.get_by_label("Tālrunis (nav obligāts)").fill("+44 7911 123456")
    page.get_by_label("Dzīvesvietas valsts").select_option("IE")
    page.get_by_label("Dzīvesvietas pilsēta (nav obligāta)").fill("Dublina")
    page.get_by_label("Plānošanas reģions, kurā vēlaties dzīvot").select_option(
        label="Latgales plānošanas reģions"
    )
    municipality = page.get_by_label("Pašvaldība (nav obligāta)")
    assert municipality.locator("option", has_text="Liepājas valstspilsēta").is_disabled()
    municipality.select_option(label="Rēzeknes novads")
    page.get_by_label("pēc 1–2 gadiem").check()
    page.get_by_label("Pieaugušie, kas pārcelsies, ieskaitot jūs").fill("2")
    page.get_by_label("Bērnu vecums").fill("4")
    page.get_by_label("Mājoklis").check()
    page.get_by_label("Jūsu ziņa (nav obligāta)").fill("Sveiki! Gribam atgriezties Rēzeknē.")
    page.get_by_label("Piekrītu, ka remigrācijas").check()
    page.get_by_role("button", name="Nosūtīt").click()

    page.wait_for_url("**/dod-zinu/paldies/")
    assert page.get_by_role("heading", name="Paldies!").is_visible()
    case = Case.objects.select_related("returnee", "planning_region").get()
    assert case.reference not in page.content()  # it comes by e-mail, never on the page
    assert case.reference.startswith("LAT-")
    assert (case.returnee.first_name, case.returnee.last_name) == ("Ģirts", "Ķēniņš")
    assert case.municipality.name == "Rēzeknes novads"
    assert case.interactions.get().summary == "Sveiki! Gribam atgriezties Rēzeknē."
    assert HouseholdMember.objects.filter(returnee=case.returnee).count() == 2
    assert Email.objects.filter(case=case, purpose="contact_confirmation").exists()
    assert serious_violations(page) == []


def test_errors_are_shown_beside_the_fields_and_summarised(page, live_server):
    page.goto(f"{live_server.url}/dod-zinu/")
    page.get_by_label(FIRST_NAME).fill("Ģirts")
    page.get_by_role("button", name="Nosūtīt").click()

    summary = page.get_by_role("alert")
    assert "Lūdzu, izlabojiet" in summary.inner_text()
    assert page.get_by_label(FIRST_NAME).input_value() == "Ģirts"
    email = page.get_by_label("E-pasts")
    assert email.get_attribute("aria-invalid") == "true"
    assert Case.objects.count() == 0
    assert serious_violations(page) == []


@pytest.mark.parametrize(
    "path", ["/dod-zinu/", "/en/let-us-know/", "/dod-zinu/privatuma-pazinojums/"]
)
def test_pages_have_no_serious_accessibility_violations(page, live_server, path):
    page.goto(f"{live_server.url}{path}")
    assert serious_violations(page) == []


def test_form_works_at_phone_width(page, live_server):
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(f"{live_server.url}/dod-zinu/")
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    assert serious_violations(page) == []
