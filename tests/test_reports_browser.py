"""The report page in a real browser: Latvian, charts drawn without JavaScript, presets work."""

import pytest
from django.db import connections

from tests import factories
from tests import report_data as data


@pytest.fixture
def browser_page(browser):
    # JavaScript off: the report must be complete without it.
    context = browser.new_context(java_script_enabled=False)
    yield context.new_page()
    # Queries made while Playwright runs use a connection of their own (another async
    # context); close it there, or PostgreSQL cannot drop the test database at the end.
    connections.close_all()
    context.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_report_page_shows_charts_without_javascript_and_presets_work(live_server, browser_page):
    data.build()
    factories.CoordinatorFactory(username="kurzeme")
    page = browser_page
    page.goto(f"{live_server.url}/login/?next=/reports/")
    page.fill("#id_username", "kurzeme")
    page.fill("#id_password", "parole-123")
    page.click("main [type=submit]")
    page.goto(f"{live_server.url}/reports/?date_from=01.01.2022&date_to=31.12.2022")
    assert page.locator("h1").inner_text() == "Pārskati"
    assert page.locator("svg.chart").count() == 3
    assert page.locator("svg.chart").first.bounding_box()["width"] > 200
    assert page.locator('tr[data-figure="people_returned"] .figure-value').inner_text() == "5"
    page.get_by_role("link", name="Pagājušais gads").click()
    assert "period=last_year" in page.url
    assert page.locator('[data-filter="period"]').inner_text().startswith("01.01.")
