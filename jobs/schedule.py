"""The schedule, defined once: which job runs when, and what it calls.

The worker (`manage.py worker`) looks at it every few seconds; each job's slot for "now"
(this minute, today) is claimed through `job_claim`, so with several workers each slot runs
once. A daily job whose hour has passed runs when a worker next looks (after an outage too).
Times are local (Europe/Riga). The functions are named by dotted path: this app imports
no domain module.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone

Slot = Callable[[datetime], str | None]


def every_minute(now: datetime) -> str | None:
    """Each minute is a slot of its own."""
    return timezone.localtime(now).strftime("%Y-%m-%dT%H:%M")


def every_quarter_hour(now: datetime) -> str | None:
    """:00, :15, :30 and :45 start a slot each."""
    local = timezone.localtime(now)
    return local.strftime("%Y-%m-%dT%H:") + f"{local.minute // 15 * 15:02d}"


def daily_at(hour: int, minute: int = 0, *, working_days_only: bool = False) -> Slot:
    """Today, once the local time has passed hour:minute (Monday to Friday if asked)."""

    def slot(now: datetime) -> str | None:
        local = timezone.localtime(now)
        if working_days_only and local.weekday() >= 5:
            return None
        if (local.hour, local.minute) < (hour, minute):
            return None
        return local.date().isoformat()

    return slot


@dataclass(frozen=True)
class Job:
    """A scheduled job: its name (also the run record's), the function, when it runs."""

    name: str
    function: str
    slot: Slot
    description: str


SCHEDULE = (
    Job(
        "outbox_sweep",
        "outbox.services.email_sweep",
        every_minute,
        "every minute: mail that came due, retries, sends interrupted by a dead worker",
    ),
    Job(
        "inbound_mailbox",
        "inbound.mailbox.mailbox_read",
        every_minute,
        "every minute: replies in the IMAP mailbox (INBOUND_IMAP_URL) onto their cases",
    ),
    Job(
        "followup_digest",
        "coordinators.services.followups.followup_digest_send",
        daily_at(7, 0, working_days_only=True),
        "working days at 07:00: each coordinator's follow-ups due today or overdue",
    ),
    Job(
        "aftercare_surveys",
        "aftercare.services.followup_surveys_send",
        daily_at(6, 0),
        "daily at 06:00: the survey 3, 6 and 12 months after a return, once per case and point",
    ),
    Job(
        "request_reminders",
        "coordinators.services.requests.request_reminders_send",
        daily_at(7, 10, working_days_only=True),
        "working days at 07:10: remind municipalities of questions past their answer-by date",
    ),
    Job(
        "retention",
        "privacy.services.retention_apply",
        daily_at(3, 0),
        "daily at 03:00: anonymise people past the retention period, empty old mail",
    ),
    Job(
        "data_exports_prune",
        "privacy.services.data_exports_prune",
        daily_at(4, 10),
        "daily at 04:10: delete personal-data ZIPs past their 24 hours",
    ),
    Job(
        "report_exports_prune",
        "reports.services.report_exports_prune",
        daily_at(4, 20),
        "daily at 04:20: delete report PDFs past their 24 hours",
    ),
    Job(
        "grant_exports_prune",
        "grants.documents.call_exports_prune",
        daily_at(4, 25),
        "daily at 04:25: delete grant call PDFs past their 24 hours",
    ),
    Job(
        "import_jobs_prune",
        "imports.services.jobs.import_jobs_prune",
        daily_at(4, 30),
        "daily at 04:30: delete history files left unconfirmed for 24 hours",
    ),
    Job(
        "open_figures_refresh",
        "openfigures.services.public_figures_refresh",
        every_quarter_hour,
        "every 15 minutes: the public figures counted again (the page never counts them)",
    ),
    Job(
        "event_reminders",
        "events.services.event_reminders_send",
        daily_at(7, 15),
        "daily at 07:15: a reminder to everyone registered for an event that starts tomorrow",
    ),
    Job(
        "event_attendees_prune",
        "events.services.event_attendees_prune",
        daily_at(4, 40),
        "daily at 04:40: forget the names and addresses of registrations for events long past",
    ),
    Job(
        "inbound_messages_prune",
        "inbound.services.inbound_messages_prune",
        daily_at(4, 45),
        "daily at 04:45: delete mail that joined no case, past its retention",
    ),
    Job(
        "contact_submissions_prune",
        "coordinators.services.contacts.contact_submissions_prune",
        daily_at(4, 40),
        "daily at 04:40: delete contact-form rows dealt with, past their retention",
    ),
    Job(
        "housekeeping",
        "jobs.services.housekeeping",
        daily_at(4, 0),
        "daily at 04:00: forget job runs older than 30 days and finished tasks older than 7",
    ),
)
