"""`manage.py receive_email [--recipient ADDRESS] < message.eml`: one message from a mail
server's pipe (Postfix: `pipe … argv=… receive_email --recipient ${recipient}`).

Exit 0 when it is stored (on its case, or in the national inbox when it names none, or
already stored through the IMAP reader); 75 (EX_TEMPFAIL) when the database fails, so the
mail server keeps the message and tries again; 65 (EX_DATAERR) for an empty or oversized
message. Prints nothing about the message: the mail server logs what a command says."""

import sys

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import DatabaseError

from inbound.services import inbound_receive

EX_DATAERR = 65
EX_TEMPFAIL = 75


class Command(BaseCommand):
    help = "Store one e-mail (RFC 822) read on standard input."
    stealth_options = ("stdin",)  # call_command(…, stdin=…) in the tests

    def add_arguments(self, parser):
        parser.add_argument(
            "--recipient",
            action="append",
            default=[],
            help="The envelope recipient (Postfix: ${recipient}); may be given again.",
        )

    def handle(self, *args, **options):
        stream = getattr(self.stdin, "buffer", self.stdin)
        raw = stream.read(settings.INBOUND_MESSAGE_MAX_BYTES + 1)
        if isinstance(raw, str):
            raw = raw.encode("utf-8", errors="surrogateescape")
        if not raw.strip() or len(raw) > settings.INBOUND_MESSAGE_MAX_BYTES:
            self.stderr.write("empty or too large")
            sys.exit(EX_DATAERR)
        try:
            _message, created = inbound_receive(raw=raw, recipients=tuple(options["recipient"]))
        except DatabaseError:
            self.stderr.write("database unavailable, try again later")
            sys.exit(EX_TEMPFAIL)
        self.stdout.write("stored" if created else "already stored")

    def execute(self, *args, **options):
        self.stdin = options.pop("stdin", sys.stdin)
        return super().execute(*args, **options)
