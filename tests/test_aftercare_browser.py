"""After return in headless Chromium: a returnee answers the survey in Russian on a phone,
the coordinator sees the follow-up on the dashboard and the unmet needs in the report.

With SCREENSHOTS_DIR set, the pages are saved as docs/screenshots/aftercare-*.png.
"""

import os
from pathlib import Path

import pytest
from django.apps import apps as django_apps
from django.db import connections
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from aftercare import services
from aftercare.models import FollowUpSurvey
from aftercare.selectors import add_months
from coordinators.models import Case
from tests.factories import CoordinatorFactory
from tests.test_aftercare import returned_case
from tests.test_workspace_browser import reference_data_ensure

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(
        transaction=True, available_apps=[app.name for app in django_apps.get_app_configs()]
    ),
]


def test_a_returnee_answers_in_russian_and_the_coordinator_sees_it(live_server, browser):
    reference_data_ensure()
    CoordinatorFactory(username="koordinatore", first_name="Ieva", last_name="Sproģe")
    today = timezone.localdate()
    case = returned_case(on=add_months(today, -3), language="ru")
    assert services.followup_surveys_send(today=today) == 1
    survey = FollowUpSurvey.objects.get()
    with translation.override("ru"):
        url = live_server.url + reverse("aftercare:survey", args=[services.survey_token(survey)])
    shots = os.environ.get("SCREENSHOTS_DIR")
    phone = browser.new_context(viewport={"width": 390, "height": 844}, locale="ru-RU")
    desk = browser.new_context(viewport={"width": 1280, "height": 900}, locale="lv-LV")

    def shoot(page, name):
        if shots:
            Path(shots).mkdir(parents=True, exist_ok=True)
            page.screenshot(path=f"{shots}/aftercare-{name}.png", full_page=True)

    try:
        page = phone.new_page()
        page.goto(url)
        assert page.locator("html").get_attribute("lang") == "ru"
        page.check("input[name=settled][value=partly]")
        page.check("input[name=work][value=no]")
        page.check("input[name=school_place][value=yes]")
        page.fill("#id_still_missing", "Работа по специальности в Лиепае")
        page.fill("#id_recommend", "5")
        shoot(page, "survey-ru-phone")
        # After a full-page screenshot, phone emulation may drop the first click: the form
        # is sent from the keyboard, as a phone user finishing the last field would.
        with page.expect_navigation():
            page.press("#id_recommend", "Enter")
        with translation.override("ru"):
            thanks = str(_("Thank you! Your answers are sent to your coordinator."))
        page.locator(".contact").get_by_text(thanks).wait_for()
        shoot(page, "survey-thanks-ru")
        assert Case.objects.get(pk=case.pk).needs_attention

        page = desk.new_page()
        page.goto(live_server.url + reverse("login"))
        page.fill("#id_username", "koordinatore")
        page.fill("#id_password", "parole-123")
        page.click("main [type=submit]")
        page.locator(".aftercare-followups").wait_for()
        assert page.locator(".aftercare-followups").get_by_text(case.reference).is_visible()
        shoot(page, "dashboard")
        page.goto(live_server.url + reverse("aftercare:report"))
        assert page.get_by_text("Работа по специальности в Лиепае").is_visible()
        shoot(page, "report")
        page.goto(live_server.url + reverse("workspace:case_detail", args=[case.reference]))
        assert page.get_by_text("Aptauja 3 mēnešus pēc atgriešanās").first.is_visible()
        shoot(page, "timeline")
    finally:
        phone.close()
        desk.close()
        connections.close_all()
