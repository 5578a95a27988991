"""Send queued e-mail that is due, now. The worker (`manage.py worker`) does this every
minute by itself; this command is for an administrator who wants to see it happen."""

from django.core.management.base import BaseCommand

from outbox.models import Email
from outbox.services import email_send_due


class Command(BaseCommand):
    help = "Send queued e-mail that is due; failed mail is retried with a growing delay."

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=500, help="at most this many")

    def handle(self, *args, limit, **options):
        report = email_send_due(limit=limit)
        self.stdout.write(f"E-mail: {report.sent} sent, {report.failed} failed.")
        if report.paused:
            self.stdout.write(
                "Sending is paused: the mail server did not answer. Queued mail waits; "
                "the worker tries again by itself."
            )
        given_up = Email.objects.filter(status=Email.Status.FAILED).count()
        if given_up:
            self.stdout.write(
                self.style.WARNING(
                    f"{given_up} e-mail(s) were given up and wait for a person: "
                    "admin → E-mails, status “failed”."
                )
            )
