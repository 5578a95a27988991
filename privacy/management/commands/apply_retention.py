"""Anonymise people whose cases were closed longer ago than the retention period, and empty
the text of old sent e-mail. Run daily; --dry-run lists what would happen."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from common.errors import DomainError
from privacy.services import (
    retention_apply,
    retention_candidates,
    retention_mail_candidates,
)


class Command(BaseCommand):
    help = "Apply the personal-data retention period (anonymise, purge old mail text)."

    def add_arguments(self, parser):
        parser.add_argument("--months", type=int, default=settings.RETENTION_MONTHS)
        parser.add_argument("--mail-days", type=int, default=settings.OUTBOX_RETENTION_DAYS)
        parser.add_argument("--dry-run", action="store_true", help="only list, change nothing")

    def handle(self, *args, months, mail_days, dry_run, **options):
        if mail_days < 1:
            raise CommandError("--mail-days must be 1 or more.")
        try:
            people = retention_candidates(months=months)
        except DomainError as error:
            raise CommandError(str(error.message)) from error
        if dry_run:
            for returnee in people.prefetch_related("cases"):
                references = ", ".join(case.reference for case in returnee.cases.all())
                self.stdout.write(f"would anonymise: {references}")
            mails = retention_mail_candidates(days=mail_days).count()
            self.stdout.write(
                f"Dry run: {people.count()} people would be anonymised, "
                f"{mails} sent e-mails emptied. Nothing changed."
            )
            return
        erased, emptied = retention_apply(months=months, mail_days=mail_days)
        self.stdout.write(f"{erased} people anonymised, {emptied} sent e-mails emptied.")
