"""The peer of bench/contact_form.py: django-helpdesk's public ticket form, in a virtual
environment of its own (.bench-venv/helpdesk, git-ignored) with a minimal project that this
module writes, served by gunicorn like the portal.

    peer = HelpdeskPeer(database_url, port=8111, workers=2, smtp_port=8102)
    peer.prepare()            # venv + pip install (once), project files, migrate, a queue
    peer.start(); ...; peer.stop()

The peer runs as its own documentation sets it up, DEBUG off, one public queue; it sends its
mail to the submitter inside the request (that is how django-helpdesk works), here to the
same loopback SMTP sink the portal's worker uses. `HelpdeskPeer.unavailable` holds the reason
when the package cannot be installed, and the benchmark then skips the peer with that note.
"""

import os
import re
import subprocess  # noqa: S404 - our own venv's interpreter, fixed arguments
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".bench-venv" / "helpdesk"
VERSION = "2.6.1"
PACKAGES = [f"django-helpdesk=={VERSION}", "gunicorn", "psycopg[binary]"]
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
PATH = "/tickets/submit/"

SETTINGS = '''"""Minimal project for benchmarking django-helpdesk's public form (written by
bench/peer_helpdesk.py)."""
import os

DEBUG = False
SECRET_KEY = "peer-benchmark-only"
ALLOWED_HOSTS = ["127.0.0.1"]
ROOT_URLCONF = "peer_urls"
SITE_ID = 1
USE_TZ = True
INSTALLED_APPS = [
    "django.contrib.admin", "django.contrib.auth", "django.contrib.contenttypes",
    "django.contrib.sessions", "django.contrib.sites", "django.contrib.messages",
    "django.contrib.humanize", "rest_framework", "helpdesk",
]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
]
TEMPLATES = [{
    "BACKEND": "django.template.backends.django.DjangoTemplates",
    "APP_DIRS": True,
    "OPTIONS": {"context_processors": [
        "django.template.context_processors.request",
        "django.contrib.auth.context_processors.auth",
        "django.contrib.messages.context_processors.messages",
    ]},
}]
DATABASES = {"default": {
    "ENGINE": "django.db.backends.postgresql", "NAME": os.environ["PEER_DB_NAME"],
    "HOST": os.environ.get("PEER_DB_HOST", "127.0.0.1"), "USER": "postgres",
    "PORT": os.environ.get("PEER_DB_PORT", "5432"), "CONN_MAX_AGE": 600,
}}
STATIC_URL = "/static/"
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
EMAIL_HOST = "127.0.0.1"
EMAIL_PORT = int(os.environ.get("PEER_SMTP_PORT", "25"))
DEFAULT_FROM_EMAIL = "helpdesk@example.com"
LOGIN_URL = "helpdesk:login"
HELPDESK_TEAMS_MODE_ENABLED = False
HELPDESK_PUBLIC_TICKET_QUEUE = "public"
HELPDESK_PUBLIC_TICKET_PRIORITY = 3
HELPDESK_PUBLIC_TICKET_DUE_DATE = None
'''

URLS = """from django.urls import include, path

urlpatterns = [path("", include("helpdesk.urls"))]
"""

SEED = """
from helpdesk.models import Queue
Queue.objects.get_or_create(slug="public", defaults={
    "title": "Public", "allow_public_submission": True, "email_address": "q@example.com"})
"""


class HelpdeskPeer:
    """django-helpdesk in its own venv and database, under gunicorn."""

    def __init__(self, database_url, *, port, workers, smtp_port):
        from urllib.parse import urlsplit

        parts = urlsplit(database_url)
        self.database = parts.path.lstrip("/") + "_peer"
        self.url_admin = database_url
        self.port, self.workers = port, workers
        self.project = VENV / "project"
        self.environment = os.environ | {
            "PEER_DB_NAME": self.database,
            "PEER_DB_HOST": parts.hostname or "127.0.0.1",
            "PEER_DB_PORT": str(parts.port or 5432),
            "PEER_SMTP_PORT": str(smtp_port),
            "DJANGO_SETTINGS_MODULE": "peer_settings",
            "PYTHONPATH": str(self.project),
        }
        self.unavailable = ""
        self.server = None

    @property
    def address(self):
        return f"http://127.0.0.1:{self.port}{PATH}"

    def python(self):
        return str(VENV / "bin" / "python")

    def install(self):
        """The venv and the pinned package from the package index; "" or why it failed."""
        marker = VENV / f".installed-{VERSION}"
        if marker.exists():
            return ""
        try:
            subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)  # noqa: S603
            subprocess.run(  # noqa: S603
                [self.python(), "-m", "pip", "install", "--quiet", *PACKAGES],
                check=True, capture_output=True, text=True, timeout=600,
            )  # fmt: skip
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError) as error:
            output = getattr(error, "stderr", "") or str(error)
            return f"django-helpdesk {VERSION} could not be installed: {output.strip()[-300:]}"
        marker.touch()
        return ""

    def prepare(self):
        """Install (once), write the project, make its database anew; False if unavailable."""
        self.unavailable = self.install()
        if self.unavailable:
            return False
        self.project.mkdir(parents=True, exist_ok=True)
        (self.project / "peer_settings.py").write_text(SETTINGS)
        (self.project / "peer_urls.py").write_text(URLS)
        from contact_form import database_recreate

        base = self.url_admin.rsplit("/", 1)[0]
        database_recreate(f"{base}/{self.database}")
        for command in (["migrate", "--noinput", "-v0"], ["shell", "-v", "0", "-c", SEED]):
            subprocess.run(  # noqa: S603
                [self.python(), "-m", "django", *command], cwd=self.project,
                env=self.environment, check=True,
            )  # fmt: skip
        return True

    def start(self):
        self.server = subprocess.Popen(  # noqa: S603
            [self.python(), "-m", "gunicorn", "django.core.wsgi:get_wsgi_application()",
             "--bind", f"127.0.0.1:{self.port}", "--workers", str(self.workers),
             "--log-level", "warning"],
            cwd=self.project, env=self.environment, stdout=subprocess.DEVNULL,
        )  # fmt: skip

    def stop(self):
        if self.server:
            self.server.terminate()
            self.server.wait(timeout=30)

    def tickets(self):
        """How many tickets the peer stored (the check that every POST did its work)."""
        import psycopg

        base = self.url_admin.rsplit("/", 1)[0]
        with psycopg.connect(f"{base}/{self.database}") as connection:
            return connection.execute("SELECT count(*) FROM helpdesk_ticket").fetchone()[0]


def peer_fill(number, page):
    """The peer's public form as a person fills it: title, text, e-mail (the queue, priority
    and due date are fixed by the settings, as a one-queue public desk does)."""
    return {
        "csrfmiddlewaretoken": CSRF.search(page).group(1),
        "title": f"Gribam atgriezties {number}",
        "body": "Gribam atgriezties. " * 20,
        "submitter_email": f"peer{number}@example.com",
    }
