"""The whole portal as a region runs it: gunicorn (2 workers, DEBUG off) and two background
workers on PostgreSQL, a mail server that accepts connections and never answers, then
answers. Every submission is answered and stored once; every mail arrives exactly once.

PostgreSQL only (the production database); it runs in its own scratch database.
"""

import asyncio
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from email import message_from_bytes
from pathlib import Path

import psycopg
import pytest
from aiosmtpd.controller import Controller
from django.db import connection

from bench.contact_form import SEED, form_choices, portal_fill
from bench.load import submit

ROOT = Path(__file__).resolve().parent.parent
SUBMISSIONS = 200
CLIENTS = 8

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the production setup runs on PostgreSQL"
)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class SilentServer:
    """Accepts SMTP connections and never says a word (a mail server that hangs)."""

    def __init__(self, port):
        self.listener = socket.create_server(("127.0.0.1", port), reuse_port=False)
        self.held, self.running = [], True
        self.thread = threading.Thread(target=self.accept, daemon=True)
        self.thread.start()

    def accept(self):
        self.listener.settimeout(0.2)
        while self.running:
            try:
                client, _address = self.listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.held.append(client)

    def stop(self):
        self.running = False
        self.thread.join()
        for client in self.held:
            client.close()
        self.listener.close()


class Recorder:
    """An aiosmtpd handler that keeps the Message-ID of every mail received."""

    def __init__(self):
        self.message_ids = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        self.message_ids.append(message_from_bytes(envelope.content)["Message-ID"])
        return "250 OK"


@pytest.fixture
def scratch_database():
    """A database of its own, migrated, with a coordinator per region: the portal's state
    is committed and shared by the server processes, unlike a test transaction."""
    settings = connection.settings_dict
    name = f"{settings['NAME']}_e2e"
    server = (
        f"postgresql://{settings['USER']}@{settings['HOST'] or '127.0.0.1'}:"
        f"{settings['PORT'] or 5432}"
    )
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    url = f"{server}/{name}"
    yield url
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def portal_environment(url, smtp_port):
    return {
        **{key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"},
        "DATABASE_URL": url,
        "DEBUG": "0",
        "SECRET_KEY": "end-to-end-test-secret",
        "ALLOWED_HOSTS": "127.0.0.1",
        "PORTAL_URL": "https://portal.example.lv",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_COOKIES": "0",
        "CONTACT_FORM_RATE_LIMIT": "0",
        "CONTACT_FORM_MIN_FILL_SECONDS": "0",
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
        "EMAIL_TIMEOUT": "2",
        "OUTBOX_PAUSE_SECONDS": "1,3",
        "CACHE_URL": "dbcache://portal_cache",
        "LOG_LEVEL": "ERROR",
    }


def manage(environment, *args):
    subprocess.run(  # noqa: S603 - our own manage.py with fixed arguments
        [sys.executable, "manage.py", *args], cwd=ROOT, env=environment, check=True,
        capture_output=True, timeout=300,
    )  # fmt: skip


def wait_for(condition, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.5)
    raise AssertionError(f"timed out waiting for {what}")


def page(url):
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - loopback
            return response.read().decode()
    except OSError:
        return None


def mail_counts(url):
    with psycopg.connect(url) as db:
        return dict(db.execute("SELECT status, count(*) FROM outbox_email GROUP BY status"))


def test_a_hanging_mail_server_slows_no_page_and_every_mail_arrives_once(
    scratch_database, tmp_path
):
    smtp_port, web_port = free_port(), free_port()
    environment = portal_environment(scratch_database, smtp_port)
    environment["STATIC_ROOT"] = str(tmp_path / "static")
    manage(environment, "migrate", "--noinput")
    manage(environment, "createcachetable")
    manage(environment, "collectstatic", "--noinput")
    manage(environment, "shell", "-c", SEED)
    silent = SilentServer(smtp_port)
    processes = [
        subprocess.Popen(  # noqa: S603
            [
                sys.executable,
                "-m",
                "gunicorn",
                "remigration.wsgi",
                "--workers",
                "2",
                "--bind",
                f"127.0.0.1:{web_port}",
                "--timeout",
                "30",
            ],
            cwd=ROOT,
            env=environment,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        ),  # fmt: skip
        *(
            subprocess.Popen(  # noqa: S603
                [sys.executable, "manage.py", "worker", "--interval", "0.5"],
                cwd=ROOT,
                env=environment,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )  # fmt: skip
            for _worker in range(2)
        ),
    ]
    recorder = Recorder()
    controller = None
    try:
        base = f"http://127.0.0.1:{web_port}"
        wait_for(lambda: page(f"{base}/dod-zinu/"), 60, "gunicorn")
        regions, _municipalities, needs = form_choices(page(f"{base}/dod-zinu/"))
        region_ids = [*regions, None]  # None: the national queue, mailed to every region

        fill = portal_fill(region_ids, {}, needs)
        started = time.monotonic()
        with ThreadPoolExecutor(CLIENTS) as clients:
            seconds = [
                post
                for _get, post in clients.map(
                    lambda n: submit(f"{base}/dod-zinu/", fill, n), range(SUBMISSIONS)
                )
            ]  # submit raises on anything but the redirect to the thank-you page
        elapsed = time.monotonic() - started

        # The requests stored the submissions; the workers make the cases and their mail.
        deadline = time.monotonic() + 120
        while True:
            with psycopg.connect(scratch_database) as db:
                cases = db.execute("SELECT count(*) FROM coordinators_case").fetchone()[0]
                confirmations = db.execute(
                    "SELECT count(*), count(DISTINCT case_id) FROM outbox_email "
                    "WHERE purpose = 'contact_confirmation'"
                ).fetchone()
            done = cases == SUBMISSIONS and confirmations == (SUBMISSIONS, SUBMISSIONS)
            if done or time.monotonic() > deadline:
                break
            time.sleep(1)
        assert cases == SUBMISSIONS and confirmations == (SUBMISSIONS, SUBMISSIONS)
        assert max(seconds) < 5, f"a POST waited {max(seconds):.1f} s on the mail server"
        assert elapsed < 120
        assert mail_counts(scratch_database).get("sent", 0) == 0  # the server never answered

        silent.stop()
        controller = Controller(
            recorder, hostname="127.0.0.1", port=smtp_port, loop=asyncio.new_event_loop()
        )
        controller.start()
        wait_for(lambda: set(mail_counts(scratch_database)) == {"sent"}, 120, "every mail sent")
        with psycopg.connect(scratch_database) as db:
            stored = {row[0] for row in db.execute("SELECT message_id FROM outbox_email")}
        time.sleep(2)  # a duplicate would arrive now, if the workers sent one
        assert len(recorder.message_ids) == len(stored)
        assert set(recorder.message_ids) == stored
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=30)
        if controller is not None:
            controller.stop()
        else:
            silent.stop()
