"""Benchmark of the public contact form: the app under gunicorn on loopback with DEBUG off,
against PostgreSQL, N valid submissions from several concurrent clients.

Prints submissions per second and p50/p95 latency of the POST, then checks in the database
that every submission became a case and every e-mail is in the outbox.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/wt_contact_bench \\
        .venv/bin/python bench/contact_form.py --submissions 400 --clients 8 --workers 4

The database named in DATABASE_URL is dropped and created anew: give it one of its own.
The rate limit and the minimum fill time are switched off through their settings for the run
(CONTACT_FORM_RATE_LIMIT=0, CONTACT_FORM_MIN_FILL_SECONDS=0); mail goes to Django's dummy
backend, so the figures exclude a real mail server (the outbox sends after commit).
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

SEED = """
from coordinators.models import User
from municipalities.models import PlanningRegion
for region in PlanningRegion.objects.all():
    User.objects.create_user(
        username=f"bench-{region.code.lower()}", email=f"{region.code.lower()}@bench.example",
        role=User.Role.REGIONAL_COORDINATOR, planning_region=region,
    )
"""


def database_recreate(url):
    parts = urllib.parse.urlsplit(url)
    name = parts.path.lstrip("/")
    admin_url = urllib.parse.urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def server_environment(url):
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
        "EMAIL_URL": "dummymail://",
        # The dummy mail backend on purpose (see above); a server would refuse to start with it.
        "SILENCED_SYSTEM_CHECKS": "common.E001",
        "PORTAL_URL": "https://portal.example.lv",
        "LOG_LEVEL": "ERROR",
    }


def wait_until_up(base, timeout=30):
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
    with psycopg.connect(url) as connection:

        def scalar(sql):
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


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--submissions", type=int, default=400)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    parser.add_argument("--port", type=int, default=8101)
    arguments = parser.parse_args()
    url = os.environ.get("DATABASE_URL", DEFAULT_DATABASE_URL)
    if not url.startswith("postgres"):
        raise SystemExit("The benchmark runs on PostgreSQL: set DATABASE_URL=postgres://...")
    environment = server_environment(url)
    python = sys.executable

    database_recreate(url)
    # Our own interpreter and fixed arguments, no outside input.
    subprocess.run(  # noqa: S603
        [python, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=environment, check=True
    )
    subprocess.run(  # noqa: S603
        [python, "manage.py", "compilemessages", "--ignore=.venv", "-v0"],
        cwd=ROOT,
        env=environment,
        check=True,
    )
    subprocess.run(  # noqa: S603
        [python, "manage.py", "shell", "-v", "0", "-c", SEED], cwd=ROOT, env=environment, check=True
    )
    base = f"http://127.0.0.1:{arguments.port}"
    server = subprocess.Popen(  # noqa: S603
        [
            python, "-m", "gunicorn", "remigration.wsgi:application",
            "--bind", f"127.0.0.1:{arguments.port}",
            "--workers", str(arguments.workers),
            "--log-level", "warning",
        ],
        cwd=ROOT,
        env=environment,
    )  # fmt: skip
    try:
        page = wait_until_up(base)
        regions, municipalities, needs = form_choices(page)
        region_ids = [*regions, None]
        first_municipality = {}
        # The select lists municipalities grouped by region, in region order.
        groups = page.split('name="municipality"')[1].split("</select>")[0].split("<optgroup")[1:]
        for region_id, group in zip(regions, groups, strict=True):
            first_municipality[region_id] = OPTION.findall(group)[0][0]
        assert municipalities, "the form offers no municipalities"
        lock = threading.Lock()
        latencies = []

        def one(number):
            seconds = submit(base, number, region_ids, first_municipality, needs)
            with lock:
                latencies.append(seconds)

        for number in range(arguments.clients):  # warm-up, not counted
            submit(base, 10_000_000 + number, region_ids, first_municipality, needs)
        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=arguments.clients) as pool:
            list(pool.map(one, range(arguments.submissions)))
        elapsed = time.perf_counter() - started
    finally:
        server.terminate()
        server.wait(timeout=30)

    latencies.sort()
    p50 = statistics.median(latencies)
    p95 = latencies[max(0, int(len(latencies) * 0.95) - 1)]
    print(
        f"{arguments.submissions} submissions, {arguments.clients} clients, "
        f"{arguments.workers} gunicorn workers, PostgreSQL, DEBUG off"
    )
    print(f"  {arguments.submissions / elapsed:.1f} submissions/s (each: GET form + POST)")
    print(f"  POST latency p50 {p50 * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms")
    total = arguments.submissions + arguments.clients
    if not verify(url, total, regions=len(regions)):
        raise SystemExit(1)


if __name__ == "__main__":
    main()
