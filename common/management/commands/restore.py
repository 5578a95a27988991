"""`manage.py restore FILE --yes [--force] [--database-url URL]`: put a dump made by
`backup` back, replacing what the database holds now.

It asks for --yes because it overwrites every table, and with DEBUG off (a production
server) also for --force before it overwrites the configured database, so that a command
pasted into the wrong terminal cannot wipe the live portal. --database-url restores into
another database instead, e.g. an empty scratch one to check that last night's backup is
whole. Stop the web server and the worker before restoring the configured database.
"""

import environ
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from common.backups import BackupError, restore

NEEDS_YES = "restore replaces everything in the database {name}: add --yes if you mean it."
NEEDS_FORCE = (
    "DEBUG is off: this looks like the production database {name}. Stop the web server and "
    "the worker, make a backup of the present state, then add --force."
)


class Command(BaseCommand):
    help = "Replace the database's contents with a dump made by `manage.py backup`."

    def add_arguments(self, parser):
        parser.add_argument("file", help="the .dump (PostgreSQL) or .sqlite3 (SQLite) file")
        parser.add_argument("--yes", action="store_true", help="yes, overwrite the database")
        parser.add_argument(
            "--force", action="store_true", help="overwrite the configured database with DEBUG off"
        )
        parser.add_argument(
            "--database-url", help="restore into this database instead of the configured one"
        )

    def handle(self, *args, file, yes, force, database_url=None, **options):
        target = (
            environ.Env.db_url_config(database_url)
            if database_url
            else settings.DATABASES["default"]
        )
        name = target["NAME"]
        if not yes:
            raise CommandError(NEEDS_YES.format(name=name))
        if not database_url and not settings.DEBUG and not force:
            raise CommandError(NEEDS_FORCE.format(name=name))
        try:
            restore(file, target)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Restored {file} into {name}.")
