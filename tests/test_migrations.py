"""Upgrades: every migration applies forward from an empty PostgreSQL database, unapplies
back to zero app by app (dependants first), and applies forward again to the same tables.
A migration that cannot be reversed, or a data migration that leaves something behind,
fails here before it fails an upgrade or a rollback on a region's server.

In a scratch database of its own, by a separate process with the real settings module, as
`make serve` would migrate. SQLite is left out: the suite creates its test database from
the same migrations on every run, and a region's data lives on PostgreSQL.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the upgrade path is PostgreSQL's"
)

ROUND_TRIP = """
import json
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.recorder import MigrationRecorder

def tables():
    return sorted(connection.introspection.table_names())

executor = MigrationExecutor(connection)
plan = executor.migration_plan(executor.loader.graph.leaf_nodes(), clean_start=True)
apps = list(dict.fromkeys(migration.app_label for migration, _backwards in plan))
call_command("migrate", verbosity=0)
forward = tables()
applied = len(MigrationRecorder(connection).applied_migrations())
# django-tasks-db's own migration 0013 cannot be unapplied (its authors made it one-way);
# its task table stays, every other app goes back to zero.
for app in reversed(apps):
    if app != "django_tasks_database":
        call_command("migrate", app, "zero", verbosity=0)
zero = {
    "tables": [name for name in tables() if not name.startswith("django_tasks_database")],
    "applied": len([key for key in MigrationRecorder(connection).applied_migrations()
                    if key[0] != "django_tasks_database"]),
}
call_command("migrate", verbosity=0)
print(json.dumps({"plan": len(plan), "apps": apps, "forward": forward, "applied": applied,
                  "zero": zero, "again": tables()}))
"""


@pytest.fixture
def scratch_database():
    """An empty database next to the test database, dropped afterwards: its URL."""
    psycopg = pytest.importorskip("psycopg")
    settings_dict = connection.settings_dict
    name = f"{settings_dict['NAME']}_migrations"
    server = {
        key: settings_dict[setting] or None
        for key, setting in (("host", "HOST"), ("port", "PORT"), ("user", "USER"))
    }
    server["password"] = settings_dict["PASSWORD"] or None
    with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    user = f"{server['user']}@" if server["user"] else ""
    yield f"postgres://{user}{server['host'] or ''}:{server['port'] or 5432}/{name}"
    with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_every_migration_goes_forward_back_to_zero_and_forward_again(scratch_database):
    hidden = {"DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    environment = {key: value for key, value in os.environ.items() if key not in hidden}
    environment |= {"DEBUG": "0", "SECRET_KEY": "x" * 60, "DATABASE_URL": scratch_database}

    result = subprocess.run(  # noqa: S603 - our own manage.py with fixed arguments
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", ROUND_TRIP],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )

    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads(result.stdout.splitlines()[-1])
    assert report["applied"] == report["plan"] > 50
    assert {"coordinators", "offers", "audit", "outbox"} <= set(report["apps"])
    assert report["zero"] == {"tables": ["django_migrations"], "applied": 0}
    assert report["again"] == report["forward"]
    assert "coordinators_case" in report["forward"]
