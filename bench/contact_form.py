"""Benchmark of the public contact form: the app under gunicorn on loopback with DEBUG off,
against PostgreSQL, N valid submissions from several concurrent clients.

Prints submissions per second and p50/p95 latency of the POST, then checks in the database
that every submission became a case and every e-mail is in the outbox.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/wt_contact_bench \\
        .venv/bin/python bench/contact_form.py --submissions 400 --clients 8 --workers 2 \\
        --smtp-delay 0 5 --bare

The portal runs as in production: gunicorn, and the background worker (`manage.py worker`)
sending the mail to an SMTP sink on loopback that waits `--smtp-delay` seconds before it
accepts each message (one run per value given), so the figures show whether a slow mail
server reaches the web requests (it must not). `--bare` adds, in the same run, the ceiling:
bare Django (bench/bare_site.py) doing one CSRF check and one INSERT for the same client.

The database named in DATABASE_URL is dropped and created anew: give it one of its own.
The rate limit and the minimum fill time are switched off through their settings for the run
(CONTACT_FORM_RATE_LIMIT=0, CONTACT_FORM_MIN_FILL_SECONDS=0).
"""

import argparse
import http.cookiejar
import os
import re
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/wt_contact_bench"
REGION_CODES = ["KUR", "ZEM", "RIG", "VID", "LAT", None]  # None: the national queue
TOKEN = re.compile(r'name="(csrfmiddlewaretoken|started)" value="([^"]+)"')
OPTION = re.compile(r'<option value="(\d+)"[^>]*>([^<]+)</option>')

# One coordinator per region, so every region's new case has somebody to notify.
SEED = """
from demo.builders import regional_coordinators_ensure
regional_coordinators_ensure(username_prefix="bench", per_region=1)
"""


def database_recreate(url):
    """Drop and create the benchmark database (and only that one)."""
    parts = urllib.parse.urlsplit(url)
    name = parts.path.lstrip("/")
    admin_url = urllib.parse.urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def server_environment(url, smtp_port=None):
    """The portal's environment: DEBUG off, rate limit and fill time off, mail to the sink."""
    return os.environ | {
        "DATABASE_URL": url,
        "DEBUG": "0",
        "SECRET_KEY": "benchmark-only-secret-key",
        "ALLOWED_HOSTS": "127.0.0.1",
        # Plain HTTP on loopback: no redirect to https, cookies that urllib sends back.
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_COOKIES": "0",
        "CONTACT_FORM_RATE_LIMIT": "0",
        "CONTACT_FORM_MIN_FILL_SECONDS": "0",
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}" if smtp_port else "dummymail://",
        "EMAIL_TIMEOUT": "60",
        "PORTAL_URL": "https://portal.example.lv",
        "CACHE_URL": "dbcache://portal_cache",
        "LOG_LEVEL": "ERROR",
    }


def wait_until_up(base, timeout=30):
    """The form page once gunicorn answers; give up after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{base}/dod-zinu/", timeout=2) as response:  # noqa: S310
                return response.read().decode()
        except OSError:
            time.sleep(0.2)
    raise SystemExit("gunicorn did not answer in time")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        """Do not follow: the 302 to the thank-you page is the answer we time."""
        return None


def submit(base, number, region_ids, municipality_ids, need_ids):
    """One person: load the form (cookie, tokens), send it. Returns POST seconds."""
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), NoRedirect
    )
    with opener.open(f"{base}/dod-zinu/", timeout=30) as response:
        tokens = dict(TOKEN.findall(response.read().decode()))
    region = region_ids[number % len(region_ids)]
    data = {
        **tokens,
        "first_name": "Ģirts",
        "last_name": f"Ķēniņš {number}",
        "email": f"bench{number}@example.com",
        "phone": "+44 7911 123456",
        "country": "GB",
        "town": "Londona",
        "preferred_language": ["lv", "en", "ru"][number % 3],
        "planning_region": region or "",
        "municipality": municipality_ids.get(region, ""),
        "timeframe": "1_2_years",
        "adults": "2",
        "children_ages": "4, 9",
        "needs": need_ids[: 1 + number % len(need_ids)],
        "message": "Gribam atgriezties. " * 20,
        "consent": "on",
        "homepage": "",
    }
    body = urllib.parse.urlencode(data, doseq=True).encode()
    started = time.perf_counter()
    try:
        opener.open(f"{base}/dod-zinu/", data=body, timeout=30)
    except urllib.error.HTTPError as error:
        if error.code != 302:
            raise RuntimeError(f"submission {number}: HTTP {error.code}") from error
    else:
        raise RuntimeError(f"submission {number}: no redirect to the thank-you page")
    return time.perf_counter() - started


def form_choices(page):
    """Region ids (and one municipality per region) and need ids, as the page offers them."""
    region_select = page.split('name="planning_region"')[1].split("</select>")[0]
    regions = [pk for pk, _label in OPTION.findall(region_select)]
    municipality_select = page.split('name="municipality"')[1].split("</select>")[0]
    needs = re.findall(r'name="needs" value="(\d+)"', page)
    return regions, OPTION.findall(municipality_select), needs


def verify(url, submissions, regions):
    """Check in the database that every submission became a case, a message and its mails."""
    with psycopg.connect(url) as connection:

        def scalar(sql):
            """The one value `sql` returns."""
            return connection.execute(sql).fetchone()[0]

        cases = scalar(
            "SELECT count(*) FROM coordinators_case c JOIN coordinators_returnee r "
            "ON r.id = c.returnee_id WHERE r.email LIKE 'bench%@example.com' "
            "AND c.source = 'contact_form' AND c.status = 'new'"
        )
        national = scalar("SELECT count(*) FROM coordinators_case WHERE planning_region_id IS NULL")
        confirmations = scalar(
            "SELECT count(*) FROM outbox_email WHERE purpose = 'contact_confirmation'"
        )
        notifications = scalar(
            "SELECT count(*) FROM outbox_email WHERE purpose = 'contact_notification'"
        )
        unsent = scalar("SELECT count(*) FROM outbox_email WHERE status <> 'sent'")
        interactions = scalar(
            "SELECT count(*) FROM coordinators_interaction WHERE kind = 'contact_form'"
        )
    # One coordinator per region: a regional case tells one, the national queue all of them.
    expected_notifications = (submissions - national) + national * regions
    checks = {
        f"cases: {cases} of {submissions}": cases == submissions,
        f"messages as interactions: {interactions}": interactions == submissions,
        f"confirmations in the outbox: {confirmations}": confirmations == submissions,
        f"notifications in the outbox: {notifications} (expected {expected_notifications})": (
            notifications == expected_notifications
        ),
        f"e-mails not yet sent: {unsent}": True,
    }
    for text, ok in checks.items():
        print(f"  {'ok  ' if ok else 'FAIL'} {text}")
    return all(checks.values())


class SlowSink:
    """An SMTP server that waits `delay` seconds before it accepts each message."""

    def __init__(self, port, delay):
        import asyncio

        from aiosmtpd.controller import Controller

        self.received = 0
        self.delay = delay
        self.controller = Controller(
            self, hostname="127.0.0.1", port=port, loop=asyncio.new_event_loop()
        )
        self.controller.start()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        import asyncio

        await asyncio.sleep(self.delay)
        self.received += 1
        return "250 OK"

    def stop(self):
        self.controller.stop()


def measure(base, submissions, clients, region_ids, municipalities, needs):
    """Warm up, then `submissions` from `clients` threads: (submissions/s, p50, p95)."""
    lock = threading.Lock()
    latencies = []

    def one(number):
        seconds = submit(base, number, region_ids, municipalities, needs)
        with lock:
            latencies.append(seconds)

    for number in range(clients):  # warm-up, not counted
        submit(base, 10_000_000 + number, region_ids, municipalities, needs)
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=clients) as pool:
        list(pool.map(one, range(submissions)))
    elapsed = time.perf_counter() - started
    latencies.sort()
    p95 = latencies[max(0, int(len(latencies) * 0.95) - 1)]
    return submissions / elapsed, statistics.median(latencies), p95


def first_municipalities(page, regions):
    """One municipality per region id, as the form's grouped select lists them."""
    groups = page.split('name="municipality"')[1].split("</select>")[0].split("<optgroup")[1:]
    return {
        region_id: OPTION.findall(group)[0][0]
        for region_id, group in zip(regions, groups, strict=True)
    }


def portal_run(url, arguments, delay):
    """One measured run of the portal with the worker and a sink of `delay` seconds."""
    python, port, smtp_port = sys.executable, arguments.port, arguments.port + 1
    environment = server_environment(url, smtp_port)
    database_recreate(url)
    for command in (
        ["migrate", "--noinput", "-v0"],
        ["createcachetable"],
        ["collectstatic", "--noinput", "-v0"],
        ["compilemessages", "--ignore=.venv", "-v0"],
        ["shell", "-v", "0", "-c", SEED],
    ):
        # Our own interpreter and fixed arguments, no outside input.
        subprocess.run([python, "manage.py", *command], cwd=ROOT, env=environment, check=True)  # noqa: S603
    sink = SlowSink(smtp_port, delay)
    processes = [
        subprocess.Popen(  # noqa: S603
            [python, "-m", "gunicorn", "remigration.wsgi:application",
             "--bind", f"127.0.0.1:{port}", "--workers", str(arguments.workers),
             "--log-level", "warning"],
            cwd=ROOT, env=environment, stdout=subprocess.DEVNULL,
        ),
        subprocess.Popen(  # noqa: S603
            [python, "manage.py", "worker"], cwd=ROOT, env=environment,
            stdout=subprocess.DEVNULL,
        ),
    ]  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        page = wait_until_up(base)
        regions, _municipalities, needs = form_choices(page)
        figures = measure(
            base, arguments.submissions, arguments.clients, [*regions, None],
            first_municipalities(page, regions), needs,
        )  # fmt: skip
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()
        received = sink.received
        sink.stop()
    ok = verify(url, arguments.submissions + arguments.clients, regions=len(regions))
    print(f"  mails the sink accepted during the run: {received}")
    return figures, ok


def bare_run(url, arguments):
    """The ceiling: bare Django, one CSRF check and one INSERT, the same client."""
    environment = os.environ | {"DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "bench.bare_site"}
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(
            "CREATE TABLE IF NOT EXISTS bench_bare (id serial PRIMARY KEY, name text)"
        )
    server = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "gunicorn", "bench.bare_site:application",
         "--bind", f"127.0.0.1:{arguments.port + 2}", "--workers", str(arguments.workers),
         "--log-level", "warning"],
        cwd=ROOT, env=environment,
    )  # fmt: skip
    base = f"http://127.0.0.1:{arguments.port + 2}"
    try:
        wait_until_up(base)
        # The bare page ignores the fields; one need id keeps the client's form the same.
        return measure(base, arguments.submissions, arguments.clients, [None], {}, ["1"])
    finally:
        server.terminate()
        server.wait(timeout=30)


def main():
    """Run the portal with each sink delay (and bare Django), print the figures, verify."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--submissions", type=int, default=400)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    parser.add_argument("--port", type=int, default=8101)
    parser.add_argument(
        "--smtp-delay", type=float, nargs="+", default=[0.0],
        help="seconds the mail server waits per message; one run per value",
    )  # fmt: skip
    parser.add_argument("--bare", action="store_true", help="also measure bare Django")
    arguments = parser.parse_args()
    url = os.environ.get("DATABASE_URL", DEFAULT_DATABASE_URL)
    if not url.startswith("postgres"):
        raise SystemExit("The benchmark runs on PostgreSQL: set DATABASE_URL=postgres://...")
    rows, all_ok = [], True
    for delay in arguments.smtp_delay:
        print(f"Portal, mail server answering after {delay:g} s:")
        figures, ok = portal_run(url, arguments, delay)
        rows.append((f"portal, SMTP delay {delay:g} s", *figures))
        all_ok &= ok
    if arguments.bare:
        rows.append(("bare Django: one CSRF check, one INSERT", *bare_run(url, arguments)))
    print(
        f"\n{arguments.submissions} submissions, {arguments.clients} clients, "
        f"{arguments.workers} gunicorn workers, PostgreSQL, DEBUG off"
    )
    print(f"| {'setup':42} | submissions/s | POST p50 | POST p95 |")
    print(f"|{'-' * 44}|---------------|----------|----------|")
    for name, rate, p50, p95 in rows:
        print(f"| {name:42} | {rate:13.1f} | {p50 * 1000:5.0f} ms | {p95 * 1000:5.0f} ms |")
    if not all_ok:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
