"""Daily job: e-mail each coordinator the cases whose follow-up is due today or overdue.

The worker runs it by itself on working days at 07:00 (jobs/schedule.py); this command is
for catching up by hand. Either way it runs once a day: a second run for the same day sends
nothing unless given --force. The mail goes through the outbox.
"""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from coordinators.services.followups import followup_digest_send
from jobs.services import job_claim, job_finish

DIGEST_JOB = "followup_digest"  # the same name as in jobs/schedule.py: one digest a day


class Command(BaseCommand):
    help = "E-mail each coordinator the references of their cases due for a follow-up."

    def add_arguments(self, parser):
        parser.add_argument(
            "--date", help="Count as if today were this date (YYYY-MM-DD); for catching up."
        )
        parser.add_argument(
            "--force", action="store_true", help="send even if this day's digest went out"
        )

    def handle(self, *args, date=None, force=False, verbosity=1, **options):
        today = timezone.localdate()
        if date:
            try:
                today = datetime.date.fromisoformat(date)
            except ValueError as error:
                raise CommandError(f"Not a date: {date!r} (use YYYY-MM-DD).") from error
        run = job_claim(name=DIGEST_JOB, slot=today.isoformat())
        if run is None and not force:
            self.stdout.write(
                f"{today:%d.%m.%Y}: the digest has been sent already; nothing sent "
                "(--force sends it again)."
            )
            return
        digests, cases = followup_digest_send(
            today=today, stdout=self.stdout if verbosity > 1 else None
        )
        if run is not None:
            job_finish(run=run, ok=True, detail=f"{digests} digests, {cases} cases")
        self.stdout.write(
            self.style.SUCCESS(
                f"{today:%d.%m.%Y}: {digests} digest(s) queued listing {cases} case(s)."
            )
        )
