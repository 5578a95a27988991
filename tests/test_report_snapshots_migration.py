"""The upgrade that adds the snapshots fills them for the history already recorded, from the
cases as they are (what the reports counted until then), so no figure changes on upgrade."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.factories import municipality

BEFORE = [("coordinators", "0007_caseevent_details_changed"), ("offers", "0002_offer_imported")]
AFTER = [("offers", "0004_offer_snapshots_backfill")]


def _executor():
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    return executor


@pytest.mark.django_db(transaction=True)
def test_upgrade_fills_the_snapshots_of_the_recorded_history():
    when = datetime.datetime(2022, 5, 5, 12, tzinfo=datetime.UTC)
    liepaja = municipality("Liepājas valstspilsēta")
    executor = _executor()
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    returnee = old.get_model("coordinators", "Returnee").objects.create(
        first_name="Ilze", last_name="Bērziņa", created_at=when
    )
    for relation in ("partner", "child"):
        old.get_model("coordinators", "HouseholdMember").objects.create(
            returnee=returnee, relation=relation
        )
    region = liepaja.planning_region_id
    case = old.get_model("coordinators", "Case").objects.create(
        reference="KUR-2022-00001", returnee=returnee, planning_region_id=region,
        municipality_id=liepaja.pk, status="returned", created_at=when, status_changed_at=when,
    )  # fmt: skip
    events = old.get_model("coordinators", "CaseEvent").objects
    events.create(case=case, kind="created", to_value="new", created_at=when)
    events.create(case=case, kind="status_changed", to_value="returned", created_at=when)
    old.get_model("offers", "Offer").objects.create(
        case=case, status="sent", sent_at=when, created_at=when
    )

    executor = _executor()
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    rows = list(
        new.get_model("coordinators", "CaseEvent")
        .objects.order_by("id")
        .values_list("kind", "planning_region_id", "municipality_id", "household_size")
    )
    offer = new.get_model("offers", "Offer").objects.values(
        "prepared_region_id", "prepared_municipality_id", "sent_region_id", "sent_municipality_id"
    )[0]
    executor = _executor()
    executor.migrate(executor.loader.graph.leaf_nodes())  # the latest state, for the next tests

    assert rows == [
        ("created", region, liepaja.pk, None),
        ("status_changed", region, liepaja.pk, 2),
    ]
    assert offer == {
        "prepared_region_id": region,
        "prepared_municipality_id": liepaja.pk,
        "sent_region_id": region,
        "sent_municipality_id": liepaja.pk,
    }


COUNTRY_BEFORE = [("coordinators", "0012_returnee_search_and_duplicate_keys")]
COUNTRY_AFTER = [("coordinators", "0014_caseevent_country_timeframe_backfill")]


@pytest.mark.django_db(transaction=True)
def test_upgrade_fills_the_country_and_timeframe_of_the_recorded_history():
    when = datetime.datetime(2022, 5, 5, 12, tzinfo=datetime.UTC)
    executor = _executor()
    executor.migrate(COUNTRY_BEFORE)
    old = executor.loader.project_state(COUNTRY_BEFORE).apps
    returnee = old.get_model("coordinators", "Returnee").objects.create(
        first_name="Ilze", last_name="Bērziņa", country="IE", created_at=when
    )
    case = old.get_model("coordinators", "Case").objects.create(
        reference="KUR-2022-00002", returnee=returnee, status="returned", timeframe="1_2_years",
        created_at=when, status_changed_at=when,
    )  # fmt: skip
    events = old.get_model("coordinators", "CaseEvent").objects
    events.create(case=case, kind="created", to_value="new", created_at=when)
    events.create(case=case, kind="status_changed", to_value="returned", created_at=when)

    executor = _executor()
    executor.migrate(COUNTRY_AFTER)
    new = executor.loader.project_state(COUNTRY_AFTER).apps
    rows = list(
        new.get_model("coordinators", "CaseEvent")
        .objects.order_by("id")
        .values_list("kind", "country", "timeframe")
    )
    executor = _executor()
    executor.migrate(executor.loader.graph.leaf_nodes())

    assert rows == [("created", "IE", "1_2_years"), ("status_changed", "IE", "1_2_years")]
