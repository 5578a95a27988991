"""Backups of the database and their restore, behind `manage.py backup` and `restore`.

PostgreSQL: `pg_dump --format=custom` (one file, compressed, restored table by table with
`pg_restore`); SQLite: the online backup API, a consistent copy even while the portal
writes. The connection comes from the settings; a PostgreSQL password is handed to the
client tools in PGPASSWORD, never on their command line (where `ps` shows it to every user
of the machine). Files are readable by their owner only: a dump holds every person's data.
"""

import os
import re
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.db import connection
from django.utils import timezone

DUMP_SUFFIX = {"postgresql": ".dump", "sqlite": ".sqlite3"}
NOT_SUPPORTED = "Backups are made of PostgreSQL and SQLite databases only, not %s."
TOOL_MISSING = "%s is not installed: apt-get install postgresql-client"


class BackupError(Exception):
    pass


def pg_environment(settings_dict):
    """libpq's variables for the connection in `settings_dict` (a DATABASES entry): the
    client tools read host, port, user, password and SSL mode from them."""
    environment = {**os.environ}
    values = {
        "PGHOST": settings_dict.get("HOST"),
        "PGPORT": settings_dict.get("PORT"),
        "PGUSER": settings_dict.get("USER"),
        "PGPASSWORD": settings_dict.get("PASSWORD"),
        "PGSSLMODE": settings_dict.get("OPTIONS", {}).get("sslmode"),
    }
    environment.update({key: str(value) for key, value in values.items() if value})
    return environment


def pg_tool(name):
    path = shutil.which(name)
    if path is None:
        raise BackupError(TOOL_MISSING % name)
    return path


def backup_path(output_dir, vendor, name):
    """remigration-<database>-<YYYYmmdd-HHMMSS>.<dump|sqlite3>: sorts by time, says which
    database it holds."""
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    stem = Path(str(name)).stem if vendor == "sqlite" else str(name)
    stem = re.sub(r"[^A-Za-z0-9_-]+", "-", stem).strip("-")[:60]
    return Path(output_dir) / f"remigration-{stem}-{stamp}{DUMP_SUFFIX[vendor]}"


def backup_create(output_dir):
    """Write a dump of the default database into `output_dir`; return its path."""
    vendor = connection.vendor
    if vendor not in DUMP_SUFFIX:
        raise BackupError(NOT_SUPPORTED % vendor)
    output_dir = Path(output_dir)
    output_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    target = backup_path(output_dir, vendor, connection.settings_dict["NAME"])
    old_umask = os.umask(0o077)
    try:
        if vendor == "postgresql":
            pg_dump(connection.settings_dict, target)
        else:
            sqlite_copy(connection, target)
    finally:
        os.umask(old_umask)
    return target


def pg_run(arguments, settings_dict):
    """Run a PostgreSQL client tool; its complaint becomes a BackupError."""
    result = subprocess.run(  # noqa: S603 - our tool, an argument list from the settings
        arguments, env=pg_environment(settings_dict), capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise BackupError(result.stderr.strip() or f"{arguments[0]} exited {result.returncode}")


def pg_dump(settings_dict, target):
    name = str(settings_dict["NAME"])
    pg_run(
        [pg_tool("pg_dump"), "--format=custom", "--no-password", f"--file={target}", name],
        settings_dict,
    )


def sqlite_copy(django_connection, target):
    """The online backup API from the portal's own connection: consistent while others write
    (and it works for the in-memory database of the tests too)."""
    django_connection.ensure_connection()
    destination = sqlite3.connect(target)
    try:
        django_connection.connection.backup(destination)
    finally:
        destination.close()


def restore(source, settings_dict):
    """Replace the contents of the database in `settings_dict` with the dump at `source`.
    Nothing must be writing to it meanwhile: stop the web server and the worker first."""
    source = Path(source)
    engine = settings_dict["ENGINE"]
    if engine.endswith("postgresql"):
        pg_restore(source, settings_dict)
    elif engine.endswith("sqlite3"):
        sqlite_restore(source, settings_dict["NAME"])
    else:
        raise BackupError(NOT_SUPPORTED % engine)


def pg_restore(source, settings_dict):
    """All or nothing (one transaction); existing tables are dropped and made anew, owners
    and grants of the machine the dump came from are not carried over."""
    pg_run(
        [
            pg_tool("pg_restore"),
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            "--no-password",
            f"--dbname={settings_dict['NAME']}",
            str(source),
        ],
        settings_dict,
    )


def sqlite_restore(source, name):
    """The backup API the other way round: the file's pages replace the database's. A file
    that is not an intact SQLite database is refused before anything is touched."""
    if not source.is_file():
        raise BackupError(f"{source}: no such file")
    origin = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)
    try:
        try:
            intact = origin.execute("PRAGMA quick_check").fetchone() == ("ok",)
        except sqlite3.DatabaseError:
            intact = False
        if not intact:
            raise BackupError(f"{source} is not an intact SQLite database")
        destination = sqlite3.connect(name)
        try:
            origin.backup(destination)
        finally:
            destination.close()
    finally:
        origin.close()
