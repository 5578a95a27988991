"""The portal's own limits and retention periods, read from the environment like every
setting (remigration/settings.py imports them all; each is listed in `.env.example`): how
long personal data is kept, and how much the public pages take from one visitor."""

import environ

env = environ.Env()  # settings.py has read .env into the environment before importing this

# --- Undoing a final step -------------------------------------------------------------------
# A final step ("returned", "closed") may be undone by the case's coordinator within this many
# days without a reason; later, and by a national administrator at any time, with a reason.
FINAL_STEP_UNDO_DAYS = env.int("FINAL_STEP_UNDO_DAYS", default=14)

# --- Retention ----------------------------------------------------------------------------
# Retention: people whose cases were all closed this long ago are anonymised, and the text
# of sent e-mail is emptied after this many days (`manage.py apply_retention`).
RETENTION_MONTHS = env.int("RETENTION_MONTHS", default=24)
OUTBOX_RETENTION_DAYS = env.int("OUTBOX_RETENTION_DAYS", default=90)
# An event's registrations keep names and addresses this long after the event has ended
# (events.services.event_attendees_prune); the privacy notice says so.
EVENT_ATTENDEE_RETENTION_DAYS = env.int("EVENT_ATTENDEE_RETENTION_DAYS", default=90)
# A contact form's row, once the worker or a coordinator has dealt with it (its text is
# already gone), is deleted this many days after it came in (the daily job in jobs/schedule).
CONTACT_SUBMISSION_RETENTION_DAYS = env.int("CONTACT_SUBMISSION_RETENTION_DAYS", default=30)
# Mail that joined no case (the national inbox, or dismissed there) is deleted with its files
# this many days after it arrived (inbound.services.inbound_messages_prune, daily).
INBOUND_RETENTION_DAYS = env.int("INBOUND_RETENTION_DAYS", default=90)

# --- The public pages: abuse protection, personal links, uploads, public figures ------------
# Public figures (openfigures/): no cell under this many people is shown; cached this long;
# the sites that may embed the widget (CSP frame-ancestors) and read the JSON (CORS).
OPEN_FIGURES_MIN_CELL = env.int("OPEN_FIGURES_MIN_CELL", default=5)
OPEN_FIGURES_CACHE_SECONDS = env.int("OPEN_FIGURES_CACHE_SECONDS", default=15 * 60)
OPEN_FIGURES_CORS_ORIGINS = env.list(
    "OPEN_FIGURES_CORS_ORIGINS", default=["https://paps.lv", "https://www.paps.lv"]
)
OPEN_FIGURES_FRAME_ANCESTORS = env.list(
    "OPEN_FIGURES_FRAME_ANCESTORS", default=["https://paps.lv", "https://www.paps.lv"]
)
# The public "Dod ziņu!" contact form: spam and abuse protection without third parties.
# A person needs at least this many seconds to fill the form (a signed timestamp in it).
CONTACT_FORM_MIN_FILL_SECONDS = env.int("CONTACT_FORM_MIN_FILL_SECONDS", default=3)
# Valid submissions per client IP per window; 0 switches the limit off (benchmarks).
# The counter lives in the default cache: with several server processes it must be a shared
# cache, e.g. CACHE_URL=redis://127.0.0.1:6379/1 (needs the `redis` package); LocMem counts
# per process. The client IP is common.net.client_ip's (PROXY_COUNT). When the cache is down
# the form lets submissions through and logs a warning.
CONTACT_FORM_RATE_LIMIT = env.int("CONTACT_FORM_RATE_LIMIT", default=10)
CONTACT_FORM_RATE_WINDOW_SECONDS = env.int("CONTACT_FORM_RATE_WINDOW_SECONDS", default=3600)
# Password reset requests: per client IP (over the limit: 429 with the form kept) and per
# address (over the limit: the same "sent" page, no mail: a stranger cannot flood a
# colleague's inbox, nor learn whether the address has an account). The same cache rule.
PASSWORD_RESET_RATE_LIMIT = env.int("PASSWORD_RESET_RATE_LIMIT", default=5)
PASSWORD_RESET_ADDRESS_LIMIT = env.int("PASSWORD_RESET_ADDRESS_LIMIT", default=3)
PASSWORD_RESET_RATE_WINDOW_SECONDS = env.int("PASSWORD_RESET_RATE_WINDOW_SECONDS", default=3600)
# Largest request body the form accepts, checked before it is read (the global
# DATA_UPLOAD_MAX_MEMORY_SIZE stays at Django's default for the admin's bulk actions).
CONTACT_FORM_MAX_BODY_BYTES = env.int("CONTACT_FORM_MAX_BODY_BYTES", default=64 * 1024)
# The returnee's page (returnee/): how long a personal link in a mail opens it, how many
# new links one connection may ask for per hour, and the documents the person may upload.
PERSONAL_LINK_DAYS = env.int("PERSONAL_LINK_DAYS", default=30)
PERSONAL_LINK_RATE_LIMIT = env.int("PERSONAL_LINK_RATE_LIMIT", default=5)
PERSONAL_LINK_ADDRESS_LIMIT = env.int("PERSONAL_LINK_ADDRESS_LIMIT", default=3)
PERSONAL_LINK_RATE_WINDOW_SECONDS = env.int("PERSONAL_LINK_RATE_WINDOW_SECONDS", default=3600)
PERSONAL_DOCUMENT_MAX_BYTES = env.int("PERSONAL_DOCUMENT_MAX_BYTES", default=10 * 1024 * 1024)
PERSONAL_DOCUMENT_MAX_COUNT = env.int("PERSONAL_DOCUMENT_MAX_COUNT", default=20)
# Places one connection may take in events per window (the contact form's window): a script
# cannot fill an event with made-up people from one address.
EVENT_PLACES_PER_CONNECTION = env.int("EVENT_PLACES_PER_CONNECTION", default=12)
