"""In Chromium, at desktop width and at 360 px: the search finds Ķēniņš typed "Kenins" and
Иванов typed "ivanov"; two records of one person are merged through the confirm page."""

import pytest
from django.apps import apps as django_apps

from duplicates.models import DuplicateCandidate
from intake.services import case_create_from_contact_form
from privacy.models import Erasure
from tests.factories import CaseFactory, CoordinatorFactory, ReturneeFactory, region
from tests.test_workspace_browser import reference_data_ensure

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(
        transaction=True, available_apps=[app.name for app in django_apps.get_app_configs()]
    ),
]


def people():
    reference_data_ensure()
    CoordinatorFactory(username="koordinatore")
    kenins = CaseFactory(returnee=ReturneeFactory(first_name="Ģirts", last_name="Ķēniņš"))
    ivanov = CaseFactory(returnee=ReturneeFactory(first_name="Сергей", last_name="Иванов"))
    CaseFactory(returnee=ReturneeFactory(first_name="Anna", last_name="Ozola"))
    return kenins, ivanov


def logged_in(browser, live_server, width):
    page = browser.new_page(viewport={"width": width, "height": 900}, locale="lv-LV")
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "koordinatore")
    page.fill("#id_password", "parole-123")
    page.click("button[type=submit]:has-text('Pieteikties')")
    page.wait_for_selector("h1:has-text('Sākums')")
    return page


def search(page, live_server, text):
    page.goto(f"{live_server.url}/cases/")
    page.fill("#id_q", text)
    page.click("form[role=search] button[type=submit]")
    page.wait_for_selector("table.case-table, .empty")
    return page.locator("table.case-table tbody tr").all_inner_texts()


@pytest.mark.parametrize("width", [1280, 360])
def test_search_finds_names_typed_without_diacritics_or_in_latin(live_server, browser, width):
    kenins, ivanov = people()
    page = logged_in(browser, live_server, width)

    for text, case in (("Kenins", kenins), ("ivanov", ivanov), ("ĶĒNIŅŠ", kenins)):
        rows = search(page, live_server, text)
        assert len(rows) == 1 and case.reference in rows[0], (text, rows)
        assert text.lower() not in page.url.lower()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.close()


@pytest.mark.parametrize("width", [1280, 360])
def test_two_records_of_one_person_are_merged_through_the_confirm_page(live_server, browser, width):
    kenins, _ivanov = people()
    second = case_create_from_contact_form(
        data={
            "first_name": "Girts", "last_name": "Kenins", "email": "girts.k@example.org",
            "phone": "", "country": "GB", "town": "", "preferred_language": "lv",
            "planning_region": region("KUR"), "municipality": None, "timeframe": "not_sure",
            "needs": [], "adults": 1, "children_ages": [], "message": "Sveiki vēlreiz",
        }
    )  # fmt: skip
    page = logged_in(browser, live_server, width)

    page.goto(f"{live_server.url}/cases/{second.reference}/")
    page.click("#duplicates-heading + ul a")
    page.wait_for_selector("h1:has-text('Viena persona divreiz?')")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.click("#merge button[type=submit]")  # without the tick: asked again
    page.wait_for_selector("#merge .field--error")
    page.check("#merge input[type=checkbox]")
    page.click("#merge button[type=submit]")
    page.wait_for_selector(".message--success")

    assert page.url.endswith(f"/cases/{kenins.reference}/")
    assert DuplicateCandidate.objects.get().status == DuplicateCandidate.Status.MERGED
    assert Erasure.objects.get().returnee_id == second.returnee_id
    assert page.locator(".timeline__entry").all_inner_texts()[0].count(second.reference) == 1
    page.close()
