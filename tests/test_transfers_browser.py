"""A transfer in a real browser, on a phone and on a desktop: the Kurzeme coordinator
proposes a case to Zemgale, Zemgale's coordinator finds it on the dashboard and accepts it,
and the Kurzeme coordinator then gets 404 on the case."""

import pytest
from django.apps import apps as django_apps

from tests.factories import CaseFactory, CoordinatorFactory, region
from tests.test_workspace_browser import reference_data_ensure

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(
        transaction=True, available_apps=[app.name for app in django_apps.get_app_configs()]
    ),
]


def logged_in_page(browser, live_server, username, width):
    context = browser.new_context(viewport={"width": width, "height": 800}, locale="lv-LV")
    page = context.new_page()
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "parole-123")
    page.click("button[type=submit]:has-text('Pieteikties')")
    page.wait_for_selector("h1:has-text('Sākums')")
    return page


@pytest.mark.parametrize("width", [360, 1280])
def test_case_transferred_and_accepted_by_the_other_region(live_server, browser, width):
    reference_data_ensure()
    kurzeme = CoordinatorFactory(username="kurzeme")
    CoordinatorFactory(username="zemgale", planning_region=region("ZEM"))
    case = CaseFactory(coordinator=kurzeme)
    case_url = f"{live_server.url}/cases/{case.reference}/"

    page = logged_in_page(browser, live_server, "kurzeme", width)
    page.goto(case_url)
    page.select_option("#id_transfer-to_region", label="Zemgales plānošanas reģions")
    page.fill("#id_transfer-note", "Ģimene pārceļas uz Jelgavu.")
    page.click("button:has-text('Piedāvāt nodošanu')")
    page.wait_for_selector(".message--success")
    assert "gaida tā lēmumu" in page.inner_text("#transfer")
    assert page.evaluate("document.documentElement.scrollWidth") <= max(width, 360)

    other = logged_in_page(browser, live_server, "zemgale", width)
    other.click("a.stat[href$='/transfers/']")
    other.click(f"a:has-text('{case.reference}')")
    assert "Ģimene pārceļas uz Jelgavu." in other.inner_text("main")
    assert other.evaluate("document.documentElement.scrollWidth") <= max(width, 360)
    other.click("button:has-text('Pieņemt')")
    other.wait_for_selector(".message--success")
    assert other.url == case_url
    assert "Zemgales" in other.inner_text(".case-facts")

    response = page.goto(case_url)
    assert response.status == 404
    page.context.close()
    other.context.close()
