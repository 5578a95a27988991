"""Daily job: e-mail each coordinator the cases whose follow-up is due today or overdue.

Run once a day (e.g. cron `0 7 * * 1-5 python manage.py send_followup_digest`); the mail
goes through the outbox, so `send_outbox` retries it if the mail server is down.
"""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from coordinators.services.followups import followup_digest_send


class Command(BaseCommand):
    help = "E-mail each coordinator the references of their cases due for a follow-up."

    def add_arguments(self, parser):
        parser.add_argument(
            "--date", help="Count as if today were this date (YYYY-MM-DD); for catching up."
        )

    def handle(self, *args, date=None, verbosity=1, **options):
        today = timezone.localdate()
        if date:
            try:
                today = datetime.date.fromisoformat(date)
            except ValueError as error:
                raise CommandError(f"Not a date: {date!r} (use YYYY-MM-DD).") from error
        digests, cases = followup_digest_send(
            today=today, stdout=self.stdout if verbosity > 1 else None
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"{today:%d.%m.%Y}: {digests} digest(s) queued listing {cases} case(s)."
            )
        )
