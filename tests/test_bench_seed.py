"""bench/seed.py, the benchmarks' COPY seeder: what it writes is what the app writes (a
"created" event per case, the events' snapshots, unique references, valid keys), and the
report counts it. PostgreSQL only: it loads with COPY."""

import datetime
import importlib.util
import sys
from pathlib import Path

import pytest
from django.db import connection
from django.db.models import Count, F, Q
from django.utils import timezone

from coordinators.models import Case, CaseEvent, HouseholdMember, Interaction, Returnee
from coordinators.models import MunicipalityRequest as Request
from demo.builders import regional_coordinators_ensure
from municipalities.models import PlanningRegion
from offers.models import Offer
from outbox.models import Email
from reports.figures.filters import ReportFilters
from reports.figures.report import report_build

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the seeder loads with COPY"),
]


def seeder():
    """bench/seed.py, loaded by path (bench/ is no package)."""
    path = Path(__file__).resolve().parent.parent / "bench" / "seed.py"
    spec = importlib.util.spec_from_file_location("bench_seed", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("bench_seed", module)
    spec.loader.exec_module(module)
    return module


def consistent():
    """The invariants every seeded database keeps."""
    cases = Case.objects.all()
    assert cases.count() == Returnee.objects.count()
    # Every case has exactly one "created" event, at its creation, as `case_create` writes.
    created = cases.annotate(n=Count("events", filter=Q(events__kind="created")))
    assert set(created.values_list("n", flat=True)) == {1}
    assert not CaseEvent.objects.filter(kind="created").exclude(created_at=F("case__created_at"))
    # The status is where the last event led, at its time.
    for case in cases.prefetch_related("events"):
        last = max(case.events.all(), key=lambda event: (event.created_at, event.pk))
        assert (case.status, case.status_changed_at) == (last.to_value, last.created_at)
    # Snapshots as `case_event_snapshots_fill` takes them.
    events = CaseEvent.objects.select_related("case__returnee")
    for event in events:
        assert event.planning_region_id == event.case.planning_region_id
        assert event.municipality_id == event.case.municipality_id
        assert event.timeframe == event.case.timeframe
        assert event.country == event.case.returnee.country
        if event.is_return:
            assert event.household_size == event.case.returnee.household.count()
        else:
            assert event.household_size is None
    # Unique references of the app's form; the sequences know the numbers handed out.
    references = list(cases.values_list("reference", flat=True))
    assert len(set(references)) == len(references)
    assert all(len(reference.split("-")) == 3 for reference in references)
    for model in (Returnee, Case, CaseEvent, Interaction, Request, Offer, Email, HouseholdMember):
        assert all(row.full_clean(validate_unique=False) is None for row in model.objects.all()[:5])
    # Foreign keys point at rows that exist (the load ran without the key triggers).
    for model, key, target in (
        (Case, "returnee_id", Returnee),
        (CaseEvent, "case_id", Case),
        (Interaction, "case_id", Case),
        (Request, "case_id", Case),
        (Offer, "case_id", Case),
        (Email, "case_id", Case),
        (HouseholdMember, "returnee_id", Returnee),
    ):
        assert set(model.objects.values_list(key, flat=True)) <= set(
            target.objects.values_list("pk", flat=True)
        )
    # A row made the ordinary way after the load takes the next id (setval).
    assert Returnee.objects.create(first_name="Jauns", last_name="Cilvēks").pk > max(
        Returnee.objects.exclude(first_name="Jauns").values_list("pk", flat=True)
    )


def test_workspace_profile():
    staff = regional_coordinators_ensure(username_prefix="seedtest", per_region=2)
    figures = seeder().seed(cases=50, profile="workspace", staff=staff)
    assert figures["cases"] == 50 == Case.objects.count()
    assert figures["tables"]["coordinators_interaction"] == 200 == Interaction.objects.count()
    assert Request.objects.count() == 50
    assert Offer.objects.count() + Email.objects.filter(purpose="offer").count() == 50
    returnee = Returnee.objects.get(email="bench7@example.com")
    assert returnee.search_text == returnee.keys_fill().search_text != ""
    fresh = Returnee(first_name=returnee.first_name, last_name=returnee.last_name).keys_fill()
    assert returnee.name_key == fresh.name_key != ""
    assert Case.objects.filter(planning_region__isnull=True).count() == 8  # every sixth
    assert Case.objects.exclude(coordinator=None).exists()
    consistent()
    # A second run continues the numbers: no e-mail or reference taken twice.
    seeder().seed(cases=20, profile="workspace", staff=staff)
    assert Case.objects.count() == Returnee.objects.exclude(first_name="Jauns").count() == 70
    assert Returnee.objects.filter(email="bench60@example.com").exists()
    references = list(Case.objects.values_list("reference", flat=True))
    assert len(set(references)) == 70


def test_reports_profile_is_counted_by_the_report():
    seeder().seed(cases=50, profile="reports")
    assert CaseEvent.objects.count() == 500  # "created" + 9 steps each
    assert HouseholdMember.objects.exists()
    assert Offer.objects.count() == CaseEvent.objects.filter(to_value="offer_sent").count()
    consistent()
    filters = ReportFilters(
        datetime.date(2018, 1, 1),
        timezone.localdate(),
        regions=tuple(PlanningRegion.objects.all()),
        include_national_queue=True,
    )
    headline = report_build(filters).headline
    assert headline["new_contacts"] == 50
    returned = CaseEvent.objects.filter(kind="status_changed", to_value="returned")
    assert headline["returned"] == returned.values("case").distinct().count() > 0
    assert headline["offers_sent"] > 0


def test_the_seeder_refuses_a_database_that_is_not_a_benchmarks_or_a_tests(monkeypatch):
    """It drops indexes and turns foreign-key checks off while it loads: never on a
    database named like a live one."""
    monkeypatch.delenv("BENCH_SEED_OK", raising=False)
    module = seeder()
    with pytest.raises(SystemExit, match="portal"):
        module.database_check("portal")
    module.database_check("bench_workspace")
    module.database_check("test_portal")
    monkeypatch.setenv("BENCH_SEED_OK", "1")
    module.database_check("portal")
