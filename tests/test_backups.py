"""`manage.py backup` and `restore`: a dump restored into a scratch database holds every
row of every table (SQLite always; PostgreSQL when the suite runs on it), the password
never appears on a command line, and restore refuses without --yes, and with DEBUG off
without --force."""

import io
import re
import sqlite3
import subprocess
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from common import backups
from common.management.commands.restore import NEEDS_FORCE, NEEDS_YES
from tests.factories import CaseFactory, CoordinatorFactory, OfferItemFactory


def row_counts_here():
    with connection.cursor() as cursor:
        counts = {}
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f'SELECT count(*) FROM "{table}"')  # noqa: S608 - our own table names
            counts[table] = cursor.fetchone()[0]
    return counts


def row_counts(execute, tables):
    return {table: execute(f'SELECT count(*) FROM "{table}"') for table in tables}  # noqa: S608


def some_data():
    CoordinatorFactory()
    for _case in range(3):
        OfferItemFactory(offer__case=CaseFactory())


def backup_into(folder):
    out = io.StringIO()
    call_command("backup", "--output", str(folder), stdout=out)
    path_text, size, unit = out.getvalue().split()
    path = Path(path_text)
    assert path.parent == folder and path.is_file()
    assert unit in {"B", "KB", "MB"} and float(size) > 0
    return path


@pytest.mark.django_db(transaction=True)
def test_backup_restored_into_a_scratch_database_has_every_row(tmp_path):
    some_data()
    expected = row_counts_here()
    assert expected["coordinators_case"] == 3 and expected["municipalities_municipality"] == 43

    dump = backup_into(tmp_path / "backups")

    suffix = "dump" if connection.vendor == "postgresql" else "sqlite3"
    assert re.fullmatch(rf"remigration-[\w-]+-\d{{8}}-\d{{6}}\.{suffix}", dump.name)
    assert dump.stat().st_mode & 0o777 == 0o600  # it holds every person's data
    if connection.vendor == "postgresql":
        restored = restored_on_postgresql(dump)
    else:
        restored = restored_on_sqlite(dump, tmp_path / "restored.sqlite3", expected)
    assert restored == expected


def restored_on_sqlite(dump, target, tables):
    call_command("restore", str(dump), "--yes", "--database-url", f"sqlite:///{target}")
    with sqlite3.connect(target) as restored:
        return row_counts(lambda sql: restored.execute(sql).fetchone()[0], tables)


def restored_on_postgresql(dump):
    psycopg = pytest.importorskip("psycopg")
    settings_dict = connection.settings_dict
    scratch = f"{settings_dict['NAME']}_restore"
    server = {
        "host": settings_dict["HOST"] or None,
        "port": settings_dict["PORT"] or None,
        "user": settings_dict["USER"] or None,
        "password": settings_dict["PASSWORD"] or None,
    }
    with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{scratch}"')
        admin.execute(f'CREATE DATABASE "{scratch}"')
    try:
        user = f"{server['user']}@" if server["user"] else ""
        url = f"postgres://{user}{server['host'] or ''}:{server['port'] or 5432}/{scratch}"
        call_command("restore", str(dump), "--yes", "--database-url", url)
        with psycopg.connect(dbname=scratch, **server) as restored:
            tables = row_counts_here().keys()
            return row_counts(lambda sql: restored.execute(sql).fetchone()[0], tables)
    finally:
        with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)')


@pytest.mark.django_db(transaction=True)
def test_restore_replaces_what_the_target_holds(tmp_path):
    """Restoring over a database puts it back as it was at the backup, not merged."""
    if connection.vendor != "sqlite":
        pytest.skip("the PostgreSQL restore into a fresh database is tested above")
    dump = backup_into(tmp_path)
    target = tmp_path / "target.sqlite3"
    call_command("restore", str(dump), "--yes", "--database-url", f"sqlite:///{target}")
    with sqlite3.connect(target) as changed:
        changed.execute("DELETE FROM municipalities_municipality WHERE id > 10")

    call_command("restore", str(dump), "--yes", "--database-url", f"sqlite:///{target}")

    with sqlite3.connect(target) as restored:
        count = restored.execute("SELECT count(*) FROM municipalities_municipality").fetchone()
    assert count == (43,)


def test_restore_refuses_a_file_that_is_no_backup(tmp_path):
    bogus = tmp_path / "notes.sqlite3"
    bogus.write_text("not a database")
    target = tmp_path / "target.sqlite3"

    with pytest.raises(CommandError, match="not an intact SQLite database"):
        call_command("restore", str(bogus), "--yes", "--database-url", f"sqlite:///{target}")
    assert not target.exists()


@pytest.mark.django_db
def test_restore_asks_for_yes(tmp_path, monkeypatch):
    called = []
    monkeypatch.setattr("common.management.commands.restore.restore", lambda *a: called.append(a))

    with pytest.raises(CommandError) as refused:
        call_command("restore", str(tmp_path / "x.dump"))

    assert str(refused.value) == NEEDS_YES.format(name=connection.settings_dict["NAME"])
    assert called == []


@pytest.mark.django_db
def test_restore_with_debug_off_asks_for_force_too(tmp_path, settings, monkeypatch):
    called = []
    monkeypatch.setattr("common.management.commands.restore.restore", lambda *a: called.append(a))
    settings.DEBUG = False
    dump = str(tmp_path / "x.dump")

    with pytest.raises(CommandError) as refused:
        call_command("restore", dump, "--yes")
    assert str(refused.value) == NEEDS_FORCE.format(name=connection.settings_dict["NAME"])
    assert called == []

    call_command("restore", dump, "--yes", "--force", stdout=io.StringIO())
    assert called == [(dump, settings.DATABASES["default"])]


def test_postgresql_password_goes_in_the_environment_not_on_the_command_line(tmp_path, monkeypatch):
    runs = []

    def recording_run(arguments, **kwargs):
        runs.append((arguments, kwargs["env"]))
        return subprocess.CompletedProcess(arguments, 0, "", "")

    monkeypatch.setattr(backups.subprocess, "run", recording_run)
    monkeypatch.setattr(backups.shutil, "which", lambda name: f"/usr/bin/{name}")
    settings_dict = {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "remigration",
        "USER": "portal",
        "PASSWORD": "s3cret-Pass#1",
        "HOST": "db.example.lv",
        "PORT": "5433",
        "OPTIONS": {"sslmode": "require"},
    }

    backups.pg_dump(settings_dict, tmp_path / "x.dump")
    backups.restore(tmp_path / "x.dump", settings_dict)

    assert [Path(arguments[0]).name for arguments, _env in runs] == ["pg_dump", "pg_restore"]
    for arguments, env in runs:
        assert not any("s3cret" in argument for argument in arguments)
        assert "--no-password" in arguments
        assert env["PGPASSWORD"] == "s3cret-Pass#1"
        assert (env["PGHOST"], env["PGPORT"], env["PGUSER"]) == ("db.example.lv", "5433", "portal")
        assert env["PGSSLMODE"] == "require"
    assert "--format=custom" in runs[0][0]
    assert {"--single-transaction", "--clean", "--if-exists"} <= set(runs[1][0])


def test_a_failing_pg_dump_says_why(tmp_path, monkeypatch):
    monkeypatch.setattr(
        backups.subprocess,
        "run",
        lambda arguments, **kwargs: subprocess.CompletedProcess(
            arguments, 1, "", 'pg_dump: error: database "nope" does not exist\n'
        ),
    )
    with pytest.raises(backups.BackupError, match='database "nope" does not exist'):
        backups.pg_dump({"NAME": "nope"}, tmp_path / "x.dump")
