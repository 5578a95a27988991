"""Every workspace page fits a 360 px phone: no horizontal scroll on any GET of the
workspace access matrix that a Kurzeme coordinator may open; and axe finds no serious
violation on any of them, nor on a page showing the message of an action."""

import pytest
from django.apps import apps as django_apps
from django.urls import reverse
from django.utils import timezone

from coordinators.services.requests import municipality_request_withdraw
from tests import test_workspace_access
from tests.factories import (
    CaseFactory,
    CoordinatorFactory,
    MunicipalityRequestFactory,
    SpecialistFactory,
    municipality,
    region,
)
from tests.test_contact_form_browser import serious_violations
from tests.test_workspace_browser import demo_data
from transfers.models import CaseTransfer

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(
        transaction=True, available_apps=[app.name for app in django_apps.get_app_configs()]
    ),
]

WIDTH = 360
KURZEME = test_workspace_access.ROLES.index("kurzeme")


def pages_for_a_coordinator():
    """(name, arg) of each GET row the Kurzeme coordinator opens (200)."""
    return [
        (name, arg)
        for name, arg, method, expected in test_workspace_access.MATRIX
        if method == "get" and expected[KURZEME] == 200 and "template" not in name
    ]  # the import templates are downloads, not pages


def test_every_workspace_page_fits_360_px(live_server, browser):
    coordinator, star = demo_data()
    world = {
        "kurzeme_case": star,
        "kurzeme_interaction": (star, star.interactions.first()),
        "kurzeme_transfer": CaseTransfer.objects.create(
            case=star, from_region=region("KUR"), to_region=region("VID"), note="Pārceļas"
        ),
        "zemgale_transfer": CaseTransfer.objects.create(
            case=CaseFactory(planning_region=region("ZEM")),
            from_region=region("ZEM"),
            to_region=region("KUR"),
            note="Pārceļas uz Liepāju",
        ),  # fmt: skip
    }
    CoordinatorFactory(username="other")
    page = browser.new_page(viewport={"width": WIDTH, "height": 780}, locale="lv-LV")
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "koordinatore")
    page.fill("#id_password", "parole-123")
    page.click("button[type=submit]:has-text('Pieteikties')")
    page.wait_for_selector("h1:has-text('Sākums')")
    widths, violations = {}, {}
    for name, arg in pages_for_a_coordinator():
        if arg is not None and arg not in world:
            continue  # an object of the access world that this data has no twin of
        url = test_workspace_access.url_for(world, name, arg)
        page.goto(f"{live_server.url}{url}")
        assert "/login/" not in page.url, url
        widths[url] = page.evaluate("document.documentElement.scrollWidth")
        violations[url] = serious_violations(page)
    # After an action: the page with its confirmation message.
    url = test_workspace_access.url_for(world, "workspace:transfer_detail", "zemgale_transfer")
    page.goto(f"{live_server.url}{url}")
    page.click("button:has-text('Noraidīt')")  # no reason: the form again, with its errors
    page.fill("#id_decline-note", "Nav mūsu reģions")
    page.click("button:has-text('Noraidīt')")
    page.wait_for_selector(".message--success")
    violations["after an action"] = serious_violations(page)
    widths["after an action"] = page.evaluate("document.documentElement.scrollWidth")
    page.close()

    assert len(widths) >= 5
    assert {url: width for url, width in widths.items() if width > WIDTH} == {}
    assert {url: found for url, found in violations.items() if found} == {}


SPECIALIST = test_workspace_access.ROLES.index("specialist")


def test_every_municipality_specialist_page_fits_360_px(live_server, browser):
    """The specialist's pages of the access matrix (the requests list and a request, open
    and withdrawn) at 360 px, with no serious axe violation."""
    demo_data()
    specialist = SpecialistFactory(username="specialiste")
    case = CaseFactory(municipality=municipality("Liepājas valstspilsēta"))
    open_request = MunicipalityRequestFactory(case=case, due_on=timezone.localdate())
    withdrawn = MunicipalityRequestFactory(case=case)
    municipality_request_withdraw(request=withdrawn, actor=None, note="Atbildēts citur")
    page = browser.new_page(viewport={"width": WIDTH, "height": 780}, locale="lv-LV")
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", specialist.username)
    page.fill("#id_password", "parole-123")
    page.click("button[type=submit]:has-text('Pieteikties')")
    page.wait_for_load_state()
    urls = [
        reverse(name, args=[request.pk]) if arg else reverse(name)
        for name, arg, method, expected in test_workspace_access.MATRIX
        if method == "get" and expected[SPECIALIST] == 200 and name != "home"
        for request in ((open_request, withdrawn) if arg else (None,))
    ]
    widths, violations = {}, {}
    for url in urls:
        query = "?status=all" if url.endswith("requests/") else ""
        page.goto(f"{live_server.url}{url}{query}")
        widths[url] = page.evaluate("document.documentElement.scrollWidth")
        violations[url] = serious_violations(page)
    page.close()

    assert len(widths) >= 3
    assert {url: width for url, width in widths.items() if width > WIDTH} == {}
    assert {url: found for url, found in violations.items() if found} == {}
