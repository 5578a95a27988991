"""The workspace in a real browser: log in, dashboard, filtered list, case page, a form.

With SCREENSHOTS_DIR set, the pages are saved as docs/screenshots/workspace-*.png.
"""

import datetime
import importlib
import os
from pathlib import Path

import pytest
from django.apps import apps as django_apps
from django.utils import timezone

from coordinators.models import Case, HouseholdMember, MunicipalityRequest
from coordinators.services.cases import case_assign
from coordinators.services.interactions import interaction_log
from coordinators.services.pipeline import case_transition
from municipalities.models import PlanningRegion
from offers.models import Offer
from outbox.models import Email
from tests.factories import (
    CaseFactory,
    CoordinatorFactory,
    MunicipalityRequestFactory,
    ReturneeFactory,
    SpecialistFactory,
    municipality,
    need,
    region,
)

# The live server needs committed data. `available_apps` (all of them) keeps the flush after
# the test from re-creating content types, so the contact form's serialized-rollback browser
# tests still find an empty database to restore; the reference data this walk needs is
# loaded by the test itself when an earlier transactional test has flushed it.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(
        transaction=True, available_apps=[app.name for app in django_apps.get_app_configs()]
    ),
]

PEOPLE = [
    ("Līga", "Bērziņa", "IE", "Dublin", ["family", "housing"]),
    ("Jānis", "Ozoliņš", "NO", "Bergen", ["work"]),
    ("Ilze", "Kalniņa", "GB", "London", ["family", "work", "social"]),
    ("Māris", "Liepiņš", "DE", "München", ["business"]),
    ("Inese", "Zariņa", "SE", "Göteborg", ["housing"]),
    ("Edgars", "Krūmiņš", "NL", "Utrecht", ["work", "adult_education"]),
    ("Dace", "Vītola", "GB", "Manchester", ["family"]),
    ("Artūrs", "Eglītis", "DK", "Aarhus", ["housing", "work"]),
]


def reference_data_ensure():
    """Regions, municipalities and needs, as the data migration loads them."""
    if not PlanningRegion.objects.exists():
        migration = importlib.import_module("municipalities.migrations.0002_reference_data")
        migration.load(django_apps, None)


def demo_data():
    """A Kurzeme coordinator's working day: cases in every state, one rich case history."""
    reference_data_ensure()
    today = timezone.localdate()
    coordinator = CoordinatorFactory(
        username="koordinatore", first_name="Ieva", last_name="Sproģe", email="ieva@kurzeme.lv"
    )
    specialist = SpecialistFactory(first_name="Kristaps", last_name="Lapiņš")
    towns = ["Liepājas valstspilsēta", "Ventspils valstspilsēta", "Kuldīgas novads", "Talsu novads"]
    cases = []
    for number, (first, last, country, town, needs) in enumerate(PEOPLE):
        case = CaseFactory(
            returnee=ReturneeFactory(
                first_name=first,
                last_name=last,
                country=country,
                town=town,
                email=f"{first.lower()}.{number}@example.com".replace("ā", "a").replace("ī", "i"),
            ),
            municipality=municipality(towns[number % len(towns)]),
            needs=[need(code) for code in needs],
            source=[Case.Source.CONTACT_FORM, Case.Source.EVENT, Case.Source.PHONE][number % 3],
            created_at=timezone.now() - datetime.timedelta(days=60 - number * 7),
        )
        cases.append(case)
    for case in cases[2:]:
        case_assign(case=case, coordinator=coordinator, actor=coordinator)
    steps = ["contacted", "needs_assessed", "offer_preparation", "offer_sent"]
    for index, case in enumerate(cases[2:]):
        for status in steps[: 1 + index % 4]:
            case_transition(case=case, to_status=status, actor=coordinator)
    Case.objects.filter(pk=cases[3].pk).update(next_follow_up=today - datetime.timedelta(days=2))
    Case.objects.filter(pk=cases[4].pk).update(next_follow_up=today, needs_attention=True)
    CaseFactory(planning_region=region("ZEM"))  # not Kurzeme's: never shown

    star = cases[2]
    HouseholdMember.objects.bulk_create(
        [
            HouseholdMember(returnee=star.returnee, relation="partner", birth_year=1986),
            HouseholdMember(returnee=star.returnee, relation="child", birth_year=2016),
            HouseholdMember(returnee=star.returnee, relation="child", birth_year=2020),
        ]
    )
    interaction_log(
        case=star,
        kind="phone",
        occurred_on=today - datetime.timedelta(days=20),
        summary="Pirmā saruna. Ģimene plāno atgriezties vasarā; vajag bērnudārzu un darbu IT jomā.",
        follow_up_on=today - datetime.timedelta(days=10),
        author=coordinator,
    )
    request = MunicipalityRequestFactory(
        case=star,
        need=need("family"),
        created_by=coordinator,
        created_at=timezone.now() - datetime.timedelta(days=12),
    )
    MunicipalityRequest.objects.filter(pk=request.pk).update(
        status="answered",
        answer="Vieta PII “Zīlīte” no 1. jūnija; skolā 3. klasē vietas ir.",
        answered_by=specialist,
        answered_at=timezone.now() - datetime.timedelta(days=9),
    )
    Offer.objects.create(
        case=star, version=1, status="sent", sent_at=timezone.now() - datetime.timedelta(days=5)
    )
    Email.objects.create(
        to=star.returnee.email,
        subject="Jūsu individuālais piedāvājums",
        body="-",
        case=star,
        status="sent",
        sent_at=timezone.now() - datetime.timedelta(days=5),
    )
    interaction_log(
        case=star,
        kind="video",
        occurred_on=today - datetime.timedelta(days=1),
        summary="Pārrunājām piedāvājumu; jautā par īres dzīvokli Kuldīgā.",
        follow_up_on=today + datetime.timedelta(days=7),
        author=coordinator,
    )
    return coordinator, star


def test_coordinator_walks_from_login_to_a_case_and_logs_a_call(live_server, browser):
    coordinator, star = demo_data()
    shots = os.environ.get("SCREENSHOTS_DIR")
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="lv-LV")

    def shoot(name):
        if shots:
            Path(shots).mkdir(parents=True, exist_ok=True)
            page.screenshot(path=f"{shots}/workspace-{name}.png", full_page=True)

    page.goto(f"{live_server.url}/")
    assert "/login/" in page.url
    page.fill("#id_username", "koordinatore")
    page.fill("#id_password", "parole-123")
    page.click("button[type=submit]:has-text('Pieteikties')")
    page.wait_for_selector("h1:has-text('Sākums')")
    shoot("dashboard")

    page.click("a.stat[href*='follow_up=overdue']")
    page.wait_for_selector("table.case-table")
    assert page.locator("table.case-table tbody tr").count() == 1
    page.goto(f"{live_server.url}/cases/?work=all")
    assert page.locator("table.case-table tbody tr").count() == len(PEOPLE)
    shoot("case-list")

    page.click(f"a:has-text('{star.reference}')")
    page.wait_for_selector("#timeline")
    assert page.locator(".timeline__entry").count() >= 8
    shoot("case-page")

    page.fill("#id_interaction-summary", "Zvans: dokumenti gatavi.")
    page.click("button:has-text('Saglabāt saziņu')")
    page.wait_for_selector(".message--success")
    assert page.locator(".timeline__entry").first.inner_text().count("dokumenti gatavi") == 1
    page.close()
