"""Log records as the operator reads them: JSON lines (production) or plain text (DEBUG).

Both formatters write only the fields listed in `FIELDS` and blank e-mail and IP addresses
in whatever text is left (messages, stack traces), because an exception's message can quote
a value that a person typed ("duplicate key (email)=(...)"). Extras that third-party code
attaches to a record (Django's `request`, whose repr holds the query string) are dropped
rather than guessed safe. The request id of the request being served is put on every record
by `RequestIdFilter`, so an error can be found next to its access record.

This module imports nothing of Django's settings: gunicorn's master process loads it for
its own log lines before the project is set up (deploy/gunicorn.conf.py).
"""

import contextvars
import ipaddress
import logging
import re
from datetime import UTC, datetime

from pythonjsonlogger.json import JsonFormatter as BaseJsonFormatter

# The request being served in this thread or task; "-" outside a request (commands, boot).
REQUEST_ID = contextvars.ContextVar("request_id", default="-")

# Everything a record may carry into the log, in this order. Anything else is dropped.
FIELDS = (
    "time",
    "level",
    "logger",
    "message",
    "request_id",
    "user_id",
    "method",
    "path",
    "status",
    "duration_ms",
    "exc_info",
    "stack_info",
)

RENAMED = {"asctime": "time", "levelname": "level", "name": "logger"}

EMAIL = re.compile(r"[\w.%+-]+@[\w-]+(?:\.[\w-]+)+")
# Candidates only: a run of hex digits, dots and colons; ipaddress decides what is an address
# (so a time of day such as 12:30:45 or a version such as 1.2.3 stays as it is).
ADDRESS_CANDIDATE = re.compile(r"(?<![\w:.])[0-9A-Fa-f:.]*[:.][0-9A-Fa-f:.]*(?![\w:.])")


def _is_address(text):
    """An IP address that could be someone's: loopback and 0.0.0.0 (what gunicorn says it
    listens on) are nobody's and stay readable."""
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return False
    return not (address.is_loopback or address.is_unspecified)


def _address_blanked(match):
    text = match.group(0).rstrip(".")  # an address at the end of a sentence
    trailing = match.group(0)[len(text) :]
    if _is_address(text):
        return "[ip]" + trailing
    host, colon, port = text.rpartition(":")
    if colon and port.isdigit() and _is_address(host):  # 10.1.2.3:8000
        return f"[ip]:{port}{trailing}"
    return match.group(0)


def scrub(text):
    """`text` with e-mail and IP addresses replaced by [email] and [ip]."""
    if not isinstance(text, str):
        return text
    return ADDRESS_CANDIDATE.sub(_address_blanked, EMAIL.sub("[email]", text))


class RequestIdFilter(logging.Filter):
    """Puts the current request id on every record that passes the handler."""

    def filter(self, record):
        record.request_id = REQUEST_ID.get()
        return True


class JsonFormatter(BaseJsonFormatter):
    """One JSON object per line with the `FIELDS` that the record has, scrubbed."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("fmt", "%(asctime)s %(levelname)s %(name)s %(message)s")
        kwargs.setdefault("rename_fields", RENAMED)
        kwargs.setdefault("json_ensure_ascii", False)
        super().__init__(*args, **kwargs)

    def formatTime(self, record, datefmt=None):  # noqa: N802 - logging's name
        # ISO 8601 in UTC with milliseconds, the form log collectors parse without help; UTC
        # because gunicorn's master and the workers (Django sets TZ) have different zones.
        moment = datetime.fromtimestamp(record.created, tz=UTC)
        return moment.isoformat(timespec="milliseconds")

    def process_log_record(self, log_data):
        return {key: scrub(log_data[key]) for key in FIELDS if log_data.get(key) is not None}


class TextFormatter(logging.Formatter):
    """Plain lines for a developer's terminal, scrubbed like the JSON ones."""

    def __init__(self, fmt=None, *args, **kwargs):
        fmt = fmt or "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s%(access)s"
        super().__init__(fmt, *args, **kwargs)

    def format(self, record):
        record.request_id = getattr(record, "request_id", "-")
        record.access = (
            f" {record.method} {record.path} {record.status} {record.duration_ms}ms"
            f" user={record.user_id}"
            if hasattr(record, "duration_ms")
            else ""
        )
        return scrub(super().format(record))
