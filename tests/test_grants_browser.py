"""The grant competition in headless Chromium: a municipality applies, two committee members
score (one declares a conflict of interest), the chair awards 9,900 EUR; after the deadline
the form refuses a new application with a clear message.

With SCREENSHOTS_DIR set, the pages are saved as docs/screenshots/grants-*.png.
"""

import datetime
import os
from decimal import Decimal
from pathlib import Path

import pytest
from django.apps import apps as django_apps
from django.db import connections
from django.urls import reverse
from django.utils import timezone, translation

from grants import services
from grants.models import Application, Call, ConflictDeclaration
from tests.factories import (
    AnalystFactory,
    CoordinatorFactory,
    SpecialistFactory,
    grant_call,
    municipality,
    region,
)
from tests.test_workspace_browser import reference_data_ensure

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(
        transaction=True, available_apps=[app.name for app in django_apps.get_app_configs()]
    ),
]


def test_a_municipality_applies_the_committee_scores_and_the_chair_awards(live_server, browser):
    reference_data_ensure()
    chair = CoordinatorFactory(username="ilze", first_name="Ilze", last_name="Bērziņa")
    member = AnalystFactory(
        username="janis", first_name="Jānis", last_name="Ozoliņš", planning_region=region("ZEM")
    )
    SpecialistFactory(username="liepaja", first_name="Kristaps", last_name="Lapiņš")
    SpecialistFactory(username="ventspils", municipality=municipality("Ventspils valstspilsēta"))
    call = grant_call(members=[chair, member], chair=chair, days_left=3)
    shots = os.environ.get("SCREENSHOTS_DIR")
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="lv-LV")
    page = context.new_page()

    def shoot(name):
        if shots:
            Path(shots).mkdir(parents=True, exist_ok=True)
            page.screenshot(path=f"{shots}/grants-{name}.png", full_page=True)

    def log_in(username):
        context.clear_cookies()
        page.goto(live_server.url + reverse("login"))
        page.fill("#id_username", username)
        page.fill("#id_password", "parole-123")
        page.click("main [type=submit]")

    try:
        # Liepāja applies: a draft, a seminar with two costs, submitted before the deadline.
        log_in("liepaja")
        page.goto(live_server.url + reverse("grants:call_detail", args=[call.pk]))
        shoot("call")
        page.click(f"a[href='{reverse('grants:apply', args=[call.pk])}']")
        page.fill("#id_title", "Karjeras iespējas un dzīves kvalitāte Liepājā")
        page.click("main [type=submit]")
        form = page.locator("form.activity-form")
        form.locator("#id_kind").select_option("seminars")
        form.locator("#id_title").fill("Seminārs Dublinā")
        form.locator("#id_planned_start").fill("01.03.2027")
        form.locator("#id_planned_end").fill("02.03.2027")
        form.locator("#id_expected_reach").fill("120")
        form.locator("#id_lines-0-description").fill("Telpu īre un tehnika")
        form.locator("#id_lines-0-amount").fill("4200.00")
        form.locator("#id_lines-1-description").fill("Ceļa un uzturēšanās izdevumi")
        form.locator("#id_lines-1-amount").fill("5700.00")
        form.locator("[type=submit]").click()
        page.locator(".message--success").wait_for()
        shoot("application")
        page.click("button.submit-application")
        page.locator(".message--success").wait_for()
        application = Application.objects.get()
        assert application.status == Application.Status.SUBMITTED
        assert application.requested_total() == Decimal("9900.00")

        # The deadline passes; the committee scores.
        Call.objects.filter(pk=call.pk).update(
            deadline=timezone.now() - datetime.timedelta(minutes=5)
        )
        score_url = live_server.url + reverse("grants:score", args=[application.pk])
        log_in("ilze")
        page.goto(score_url)
        fields = page.locator(".score-form input[type=number]").all()
        for field, value in zip(fields, "543", strict=True):
            field.fill(value)
        shoot("score")
        page.click(".score-form [type=submit]")
        page.locator(".message--success").wait_for()

        log_in("janis")
        page.goto(score_url)
        page.fill(".conflict-form #id_note", "Esmu projekta partnera valdē.")
        page.click(".conflict-form [type=submit]")
        page.locator(".message--success").wait_for()
        assert ConflictDeclaration.objects.filter(member=member).exists()
        page.goto(score_url)
        assert page.locator(".score-form").count() == 0  # no score sheet after a conflict

        # The chair sees the weighted total and awards 9,900 EUR.
        log_in("ilze")
        page.goto(live_server.url + reverse("grants:decision", args=[call.pk]))
        assert page.locator(".result-average").first.inner_text().startswith("26")
        page.fill(f"#id_award_{application.pk}", "9900")
        page.fill("#id_note", "Atbalstīt pilnā apmērā.")
        shoot("decision")
        page.click(".decision-form [type=submit]")
        page.locator(".message--success").wait_for()
        shoot("decided")
        application.refresh_from_db()
        assert application.awarded_amount == Decimal("9900.00")

        # Liepāja sees its result.
        log_in("liepaja")
        page.goto(live_server.url + reverse("grants:application_detail", args=[application.pk]))
        assert "9900" in page.locator(".application-award").inner_text().replace(" ", "")
        shoot("result")

        # After the deadline, Ventspils's new application is refused with a clear message.
        log_in("ventspils")
        page.goto(live_server.url + reverse("grants:apply", args=[call.pk]))
        page.fill("#id_title", "Par vēlu")
        page.click("main [type=submit]")
        with translation.override("lv"):
            closed = str(services.CALL_CLOSED).split("%")[0].strip()
        assert closed in page.locator(".error-summary").inner_text()
        shoot("closed")
        assert Application.objects.count() == 1
    finally:
        context.close()
        # Queries after Playwright's calls run in another async context with a connection
        # of their own; close it, or PostgreSQL cannot drop the test database at the end.
        connections.close_all()
