"""Settings for the remigration portal, read from the environment through django-environ.

Every variable is listed in `.env.example`. With no environment at all the portal runs
on a SQLite file in the project folder; production sets DATABASE_URL, SECRET_KEY etc.
"""

from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _
from whitenoise.compress import Compressor

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env")

DEBUG = env.bool("DEBUG", default=False)
if DEBUG:
    SECRET_KEY = env("SECRET_KEY", default="insecure-development-key-do-not-use-in-production")
else:
    # No default on purpose: a production server without a secret must refuse to start.
    SECRET_KEY = env("SECRET_KEY")

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    # django.contrib.admin, its site for national administrators only (accounts/admin_site.py)
    "accounts.apps.PortalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_countries",
    "import_export",
    "common",
    "municipalities",
    "coordinators",
    "offers",
    "transfers",
    "savedviews",
    "intake",
    "workspace",
    "outbox",
    "jobs",
    "django_tasks",
    "django_tasks_db",
    "reports",
    "demo",
    "auditlog",
    "audit",
    "axes",
    "privacy",
    "returnee",
    "duplicates",
    "imports",
    "events",
    "openfigures",
    "inbound",
    "grants",
    "aftercare",
    "django_otp",
    "django_otp.plugins.otp_totp",
    # After django-otp: accounts/admin.py registers the device admin again, locked.
    "accounts",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "common.middleware.NulBytePathMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Pages for a logged-in user are never stored by a browser or proxy (common.middleware).
    "common.middleware.NoStoreForUsersMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "accounts.middleware.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    # Last, as django-axes asks: it turns a lockout into its polite 429 page.
    "axes.middleware.AxesMiddleware",
]
if env("REPLICA_DATABASE_URL", default=""):  # the request's reads to the replica (reports)
    MIDDLEWARE.insert(-1, "common.replica.ReplicaForReportsMiddleware")

ROOT_URLCONF = "remigration.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "workspace.context_processors.badges",
            ],
        },
    },
]

WSGI_APPLICATION = "remigration.wsgi.application"

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # PostgreSQL's JIT compiles "expensive-looking" report aggregates for up to a second
    # while they run in 0.2 s; short web queries never gain from it (see bench/reports.py).
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
else:
    # WAL lets readers go on while the contact form writes; the timeout rides out short locks.
    # IMMEDIATE takes the write lock when a transaction begins, so concurrent writers queue
    # for up to `timeout` seconds instead of failing with "database is locked" when a read
    # transaction turns into a write (tests/test_production_server.py: 30 at once).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "init_command": "PRAGMA journal_mode=WAL;"}
    )
    DATABASES["default"]["OPTIONS"].setdefault("transaction_mode", "IMMEDIATE")

# Scaling out (docs/scaling.md). Behind PgBouncer in transaction pooling, a connection is not
# ours between transactions: no server-side cursors (QuerySet.iterator() would lose them).
# psycopg 3 binds parameters on the client by default, so no prepared statements either.
if env.bool("PGBOUNCER_TRANSACTION_POOLING", default=False):
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
# A PostgreSQL read replica for the reports' reads (common/replica.py); writes stay here.
if REPLICA_DATABASE_URL := env("REPLICA_DATABASE_URL", default=""):
    DATABASES["replica"] = {
        **DATABASES["default"],
        **env.db_url_config(REPLICA_DATABASE_URL),
        "TEST": {"MIRROR": "default"},
    }
    DATABASE_ROUTERS = ["common.replica.ReplicaRouter"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "coordinators.User"
AUTHENTICATION_BACKENDS = [
    # django-axes first: it refuses logins of a locked-out name+address pair.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    # National administrators hold the admin's permissions by their role.
    "accounts.backends.NationalAdminPermissionBackend",
]
# ...which would show them everybody's two-factor key in the device admin: nobody sees it.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "lv"
# Russian: the pages and mails the person abroad reads (locale/ru); the rest falls back
# to English.
LANGUAGES = [("lv", _("Latvian")), ("en", _("English")), ("ru", _("Russian"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env("TIME_ZONE", default="Europe/Riga")
USE_I18N = True
USE_TZ = True
# Dates as dd.mm.yyyy in both languages: coordinators and returnees read Latvian dates.
FORMAT_MODULE_PATH = ["common.formats"]

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
MEDIA_URL = "media/"

# --- Production serving ------------------------------------------------------------------
# gunicorn (deploy/gunicorn.conf.py) serves the portal; WhiteNoise serves /static/ from the
# same process, right after SecurityMiddleware as its documentation asks, with far-future
# caching for the hashed file names that collectstatic writes (`make serve` runs it).
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
    "whitenoise.middleware.WhiteNoiseMiddleware",
)
# First of all: one access record per request, with the request id (common.middleware).
MIDDLEWARE.insert(0, "common.middleware.RequestLogMiddleware")
if not DEBUG:
    STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
# The TTF fonts are read from disk by the PDF renderer and never sent to a browser; brotli
# on their 1.4 MB took 20 of collectstatic's 24 s.
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = [*Compressor.SKIP_COMPRESS_EXTENSIONS, "ttf"]
# Our own pages for a form whose CSRF token is missing or stale (400/403/404/500 are
# templates/4xx.html and 500.html, which Django finds by name).
CSRF_FAILURE_VIEW = "common.views.csrf_failure"
# /healthz: each entry a function returning (ok, detail); other apps append theirs.
HEALTH_CHECKS = [
    "common.health.database",
    "common.health.cache",
    # The oldest mail due is younger than OUTBOX_MAX_DELAY_MINUTES; how many were given up.
    "outbox.health.outbox_health",
    # A background worker claimed the minute's sweep within the last five minutes.
    "jobs.services.worker_health",
]
# A monitor on the machine itself asks http://127.0.0.1:8000/healthz, not https.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
# Where `manage.py backup` writes its files unless given --output.
BACKUP_DIR = env.path("BACKUP_DIR", default=BASE_DIR / "backups")


# Console mail only in DEBUG: on a server it would put recipients, texts and password reset
# links into the log. Without EMAIL_URL a server gets the dummy backend, which
# common.checks refuses at startup, naming EMAIL_URL.
vars().update(env.email_url("EMAIL_URL", default="consolemail://" if DEBUG else "dummymail://"))
# Only the background worker talks to the mail server, so a slow one delays mail, not pages.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)
# The domain of every mail's Message-ID (kept across retries, so duplicates can be dropped).
EMAIL_MESSAGE_ID_DOMAIN = env("EMAIL_MESSAGE_ID_DOMAIN", default="remigracija.lv")
# /healthz reports trouble when the oldest mail due has waited longer than this.
OUTBOX_MAX_DELAY_MINUTES = env.int("OUTBOX_MAX_DELAY_MINUTES", default=15)
# While the mail server does not answer, sending pauses this long, doubling up to the second.
OUTBOX_PAUSE_SECONDS = tuple(env.list("OUTBOX_PAUSE_SECONDS", cast=int, default=[30, 600]))

# --- Incoming mail (the inbound app) ---------------------------------------------------
# Mail to the person carries Reply-To: this address with a random per-case token, e.g.
# "atbildes+{token}@remigracija.lv" (the mailbox must accept the +suffix). Empty: no
# Reply-To, and the mails do not ask the person to reply.
INBOUND_REPLY_ADDRESS = env("INBOUND_REPLY_ADDRESS", default="")
# The function the outbox asks for that address (dotted path: the outbox imports no app).
OUTBOX_REPLY_ADDRESS = "inbound.services.reply_address_for_case"
# The mailbox the worker reads every minute: imaps://user:password@host:993/INBOX (password
# URL-encoded). Empty: no reading (a mail server may pipe to `manage.py receive_email`).
INBOUND_IMAP_URL = env("INBOUND_IMAP_URL", default="")
# Larger attachments are not kept (the mail says which); larger messages are refused.
INBOUND_ATTACHMENT_MAX_BYTES = env.int("INBOUND_ATTACHMENT_MAX_BYTES", default=10 * 1024 * 1024)
INBOUND_MESSAGE_MAX_BYTES = env.int("INBOUND_MESSAGE_MAX_BYTES", default=40 * 1024 * 1024)

# --- Background work ------------------------------------------------------------------
# Tasks (sending mail, scheduled jobs) are rows in the database, run by `manage.py worker`:
# django-tasks (Django 6's tasks API, backported) with django-tasks-db's database backend,
# so SQLite and PostgreSQL need no broker. The schedule is in jobs/schedule.py.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Remigrācija <noreply@remigracija.lv>")

# The contact form's rate limit counts in the default cache, so a server needs one that all
# its processes share: the database (`manage.py createcachetable` makes the table) unless
# CACHE_URL names another, e.g. Redis. LocMem (per process) is for DEBUG only.
CACHES = {
    "default": env.cache_url(
        "CACHE_URL", default="locmemcache://" if DEBUG else "dbcache://portal_cache"
    )
}

# django-import-export: only users with these permissions may import/export (the default
# lets every admin user do both). Formulae are escaped by common.spreadsheets, which covers
# "+ - @" too; the library's own switch strips only "=".
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "add"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"
IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT = False
IMPORT_EXPORT_ESCAPE_ILLEGAL_CHARS_ON_EXPORT = True
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = False

# --- Logging -----------------------------------------------------------------------------
# To stdout, where systemd's journal or a container runtime collects it: JSON lines in
# production, plain text in DEBUG. One record per request (logger remigration.request, from
# common.middleware) with request id, user id, method, path without query string, status and
# duration; warnings and errors with stack traces. Only the fields in common.logs.FIELDS are
# written and e-mail and IP addresses are blanked, so no personal data reaches the log.
LOG_FORMAT = env("LOG_FORMAT", default="text" if DEBUG else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "common.logs.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "common.logs.JsonFormatter"},
        "text": {"()": "common.logs.TextFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "filters": ["request_id"],
            "formatter": LOG_FORMAT,
        }
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="WARNING")},
    "loggers": {
        "remigration.request": {"level": "INFO"},
        # Django's own console handler (DEBUG only) would print errors twice; they reach the
        # root handler above. django.request's 4xx warnings repeat the access record.
        "django": {"handlers": [], "level": "NOTSET"},
        "django.request": {"level": "ERROR"},
        # runserver's access lines carry the query string; the access record replaces them.
        "django.server": {"handlers": [], "level": "ERROR", "propagate": False},
    },
}

# Error reports to Sentry or GlitchTip, only when a DSN is given (needs the `sentry` extra).
SENTRY_DSN = env("SENTRY_DSN", default="")
if SENTRY_DSN:
    from common.sentry import sentry_init

    sentry_init(SENTRY_DSN, environment=env("SENTRY_ENVIRONMENT", default="production"))

# Retention periods, the public pages' limits, the undo period: remigration/limits.py.
from .limits import *  # noqa: E402, F403

# Version of the privacy notice a returnee accepts; stored with each consent.
CONSENT_TEXT_VERSION = env("CONSENT_TEXT_VERSION", default="2026-12")
# The data protection officer's address, named in the privacy notice (empty: not shown).
DATA_PROTECTION_EMAIL = env("DATA_PROTECTION_EMAIL", default="")

# django-auditlog keeps field-level history of returnees and cases as JSON.
AUDITLOG_STORE_JSON_CHANGES = True

# --- Reverse proxy and the client's address ----------------------------------------------
# How many reverse proxies of ours stand in front, each appending the address it was
# connected from to X-Forwarded-For; 0: none, REMOTE_ADDR is the client. common.net.client_ip
# applies it for the contact form's rate limit, the audit trail and django-axes alike.
PROXY_COUNT = env.int("PROXY_COUNT", default=0)

# --- Login protection and sessions -------------------------------------------------------
# Five wrong passwords for one login name from one address lock that pair for 15 minutes.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False  # keeps login names and addresses out of the log files
AXES_HTTP_RESPONSE_CODE = 429
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# The same client address as the rate limit and the audit trail (PROXY_COUNT, above).
AXES_CLIENT_IP_CALLABLE = "common.net.client_ip"

# Two-factor authentication (TOTP apps): open to all staff, required for national
# administrators (not in DEBUG, so the demo logins work without a phone).
OTP_REQUIRED_FOR_NATIONAL_ADMINS = env.bool("OTP_REQUIRED_FOR_NATIONAL_ADMINS", default=not DEBUG)
OTP_TOTP_ISSUER = "Remigrācijas portāls"

# Staff sessions end after an hour without a request, and when the browser closes.
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=60 * 60)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# --- Security headers (production defaults; DEBUG relaxes only what needs HTTPS) ---------
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
if PROXY_COUNT:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_HTTPONLY = True
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# No inline scripts anywhere; inline style attributes (Django admin uses a few) are allowed.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, "'unsafe-inline'"],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# --- A cache that may be down ----------------------------------------------------------
# A Redis that hangs must not hang every form submission: give up after a second, and the
# rate limit lets the submission through (intake/views.py).
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    CACHES["default"].setdefault("OPTIONS", {}).setdefault("socket_connect_timeout", 1)
    CACHES["default"]["OPTIONS"].setdefault("socket_timeout", 1)

# --- Links in e-mail -------------------------------------------------------------------
# The portal's public https address, without a path: every link in every e-mail starts with
# it (common.urls.absolute_url), since mail is sent with no request to take a host from.
# Required with DEBUG off (common.checks).
PORTAL_URL = env("PORTAL_URL", default="http://127.0.0.1:8000" if DEBUG else "")

# --- Refusing to start unsafe (common/checks.py) ----------------------------------------
# Checks to skip by id, e.g. common.E001 for a benchmark that wants the dummy mail backend.
# Never on a server people use: each check guards against leaking or losing mail or links.
SILENCED_SYSTEM_CHECKS = env.list("SILENCED_SYSTEM_CHECKS", default=[])
