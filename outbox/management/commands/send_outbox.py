"""Send queued e-mail and retry failed attempts. Run every minute (cron or systemd timer),
or keep it running with --loop."""

import time

from django.core.management.base import BaseCommand

from outbox.services import email_send_due


class Command(BaseCommand):
    help = "Send queued e-mail that is due; failed mail is retried with a growing delay."

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true", help="keep running")
        parser.add_argument("--interval", type=int, default=30, help="seconds between rounds")
        parser.add_argument("--limit", type=int, default=500, help="at most this many per round")

    def handle(self, *args, loop, interval, limit, **options):
        while True:
            sent, failed = email_send_due(limit=limit)
            self.stdout.write(f"E-mail: {sent} sent, {failed} failed (will be retried).")
            if not loop:
                return
            time.sleep(interval)
