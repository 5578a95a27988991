"""`manage.py backup [--output DIR]`: a restorable dump of the database with a timestamped
name (see common.backups); prints the file's path and size. Run it daily and before every
upgrade (README, "Backups")."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from common.backups import BackupError, backup_create


def size_text(size):
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return ""  # not reached


class Command(BaseCommand):
    help = "Write a restorable dump of the database (pg_dump or SQLite's backup API)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--output", help=f"folder for the file (default BACKUP_DIR: {settings.BACKUP_DIR})"
        )

    def handle(self, *args, output=None, **options):
        try:
            path = backup_create(output or settings.BACKUP_DIR)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"{path} {size_text(path.stat().st_size)}")
