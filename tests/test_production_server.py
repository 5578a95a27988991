"""The portal as `make serve` runs it: gunicorn with deploy/gunicorn.conf.py, DEBUG off, the
real settings module, a SQLite file migrated from nothing, hashed static files.

One server for the module (about 15 s to start: the migrations write a fresh file), then:
static files with far-future caching, /healthz, JSON log lines without the query string,
and 30 contact-form submissions at the same moment against the embedded SQLite default,
each becoming a case with no error ("database is locked" is what SQLite gives concurrent
writers without IMMEDIATE transactions and a busy timeout). The database is SQLite here
also when the suite runs on PostgreSQL: it is SQLite's behaviour under load that is tested.
"""

import http.cookiejar
import json
import os
import re
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

ROOT = Path(__file__).resolve().parent.parent
SUBMISSIONS = 30
TOKEN = re.compile(r'name="(csrfmiddlewaretoken|started)" value="([^"]+)"')
OPTION = re.compile(r'<option value="(\d+)"')


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def collect_static(static_root):
    """The portal's own static files, hashed and compressed as collectstatic makes them for
    production (the admin's are left out: the tests open no admin page, and they take long)."""
    finders = ["django.contrib.staticfiles.finders.FileSystemFinder"]
    storages = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    with override_settings(STATIC_ROOT=static_root, STATICFILES_FINDERS=finders, STORAGES=storages):
        call_command("collectstatic", "--noinput", verbosity=0)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """(base URL, database file, log file) of gunicorn serving the portal in production mode."""
    folder = tmp_path_factory.mktemp("served")
    database, log = folder / "db.sqlite3", folder / "gunicorn.log"
    collect_static(folder / "static")
    port = free_port()
    hidden = {"DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE", "DATABASE_URL"}
    environment = {key: value for key, value in os.environ.items() if key not in hidden}
    environment |= {
        "DEBUG": "0",
        "SECRET_KEY": "production-server-test-secret-key-" * 2,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_COOKIES": "0",  # plain HTTP on loopback: the cookies must travel
        "DATABASE_URL": f"sqlite:///{database}",
        "STATIC_ROOT": str(folder / "static"),
        # No worker runs here, so nothing is sent; a real SMTP URL passes the startup checks.
        "EMAIL_URL": "smtp://127.0.0.1:1",
        "PORTAL_URL": "https://portal.example.lv",
        "CACHE_URL": "dbcache://portal_cache",
        "CONTACT_FORM_MIN_FILL_SECONDS": "0",
        "CONTACT_FORM_RATE_LIMIT": "0",
        "BIND": f"127.0.0.1:{port}",
    }
    migrate = [sys.executable, "manage.py", "migrate", "--noinput", "-v0"]
    subprocess.run(migrate, cwd=ROOT, env=environment, check=True, timeout=120)  # noqa: S603
    cache_table = [sys.executable, "manage.py", "createcachetable"]
    subprocess.run(cache_table, cwd=ROOT, env=environment, check=True, timeout=60)  # noqa: S603
    # 3 processes of 10 threads: 30 requests, and 30 SQLite connections, at once.
    gunicorn = [sys.executable, "-m", "gunicorn", "--config", "deploy/gunicorn.conf.py"]
    with log.open("w") as output:
        process = subprocess.Popen(  # noqa: S603 - our own server, fixed arguments
            [*gunicorn, "--workers", "3", "--threads", "10"],
            cwd=ROOT,
            env=environment,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    # The background worker beside it, as in production (/healthz waits for its sweep).
    worker = subprocess.Popen(  # noqa: S603 - our own command, fixed arguments
        [sys.executable, "manage.py", "worker"], cwd=ROOT, env=environment,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base, process, log)
        yield base, database, log
    finally:
        for running in (process, worker):
            running.terminate()
        for running in (process, worker):
            running.wait(timeout=30)


def wait_until_up(base, process, log, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"gunicorn exited: {log.read_text()}")
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=2):  # noqa: S310
                return
        except OSError:
            time.sleep(0.2)
    pytest.fail(f"gunicorn did not answer: {log.read_text()}")


def get(url, **headers):
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 - loopback only
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
        return response.status, response.headers, response.read()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def log_records(log):
    """Every line gunicorn and the portal wrote, each of which must be a JSON object."""
    return [json.loads(line) for line in log.read_text().splitlines() if line.strip()]


def test_hashed_static_file_is_cached_for_a_year(server):
    base, _database, _log = server
    _status, _headers, page = get(f"{base}/dod-zinu/")
    [stylesheet] = re.findall(r'href="(/static/css/portal\.[0-9a-f]{12}\.css)"', page.decode())

    status, headers, body = get(f"{base}{stylesheet}", **{"Accept-Encoding": "gzip"})

    assert status == 200
    assert "max-age=315360000" in headers["Cache-Control"]
    assert "immutable" in headers["Cache-Control"]
    assert headers["Content-Encoding"] == "gzip"
    assert headers["Content-Type"].startswith("text/css")
    # The unhashed name is served too, but only briefly cached: it changes with each release.
    _status, plain_headers, _body = get(f"{base}/static/css/portal.css")
    assert "immutable" not in plain_headers["Cache-Control"]


def test_health_check_answers_under_gunicorn(server):
    base, _database, _log = server

    status, headers, body = get(f"{base}/healthz")

    assert status == 200
    report = json.loads(body)
    assert report["status"] == "ok"
    assert report["checks"]["database"]["vendor"] == "sqlite"
    assert re.fullmatch(r"[0-9a-f]{32}", headers["X-Request-ID"])


def test_log_is_json_lines_without_query_string_or_address(server):
    base, _database, log = server
    request_id = "test-query-string-0001"

    get(
        f"{base}/dod-zinu/?q=%C4%B6%C4%93ni%C5%86%C5%A1&email=a%40b.lv",
        **{"X-Request-ID": request_id},
    )
    time.sleep(0.3)  # gunicorn writes its access line after the response

    records = log_records(log)  # fails if any line is not JSON
    ours = [record for record in records if record.get("request_id") == request_id]
    assert [record["logger"] for record in ours] == ["remigration.request"]
    assert ours[0]["path"] == "/dod-zinu/" and ours[0]["status"] == 200
    [access] = [
        r for r in records if r["logger"] == "gunicorn.access" and request_id in r["message"]
    ]
    assert access["message"].startswith("GET /dod-zinu/ 200 ")
    text = log.read_text()
    for secret in ("Ķēniņš", "%C4%B6", "a@b.lv", "a%40b.lv", "email=", "127.0.0.1 -"):
        assert secret not in text
    assert any(
        r["logger"] == "gunicorn.error" and "Booting worker" in r["message"] for r in records
    )


def form_fields(page):
    """What a person fills in, with the region, municipality and need the page offers."""
    region_select = page.split('name="planning_region"')[1].split("</select>")[0]
    return {
        "first_name": "Ģirts",
        "phone": "+44 7911 123456",
        "country": "GB",
        "town": "Londona",
        "preferred_language": "lv",
        "planning_region": OPTION.findall(region_select)[0],
        "municipality": "",
        "timeframe": "1_2_years",
        "adults": "2",
        "children_ages": "4, 9",
        "needs": re.findall(r'name="needs" value="(\d+)"', page)[:2],
        "message": "Gribam atgriezties. " * 10,
        "consent": "on",
        "homepage": "",
    }


def opened_form(base):
    """A browser that has loaded the form: its cookie jar and the form's tokens."""
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), NoRedirect
    )
    with opener.open(f"{base}/dod-zinu/", timeout=30) as response:
        page = response.read().decode()
    return opener, dict(TOKEN.findall(page)), page


def send(opener, url, data, outcomes, barrier):
    """POST when all are ready; "ok" for the redirect to the thank-you page."""
    body = urllib.parse.urlencode(data, doseq=True).encode()
    barrier.wait()
    try:
        opener.open(url, data=body, timeout=60)
        outcomes.append("no redirect")
    except urllib.error.HTTPError as error:
        thanks = error.headers.get("Location") == reverse("intake:contact_thanks")
        outcomes.append("ok" if error.code == 302 and thanks else error.code)
    except OSError as error:
        outcomes.append(repr(error))


def test_thirty_simultaneous_submissions_become_thirty_cases(server):
    base, database, log = server
    browsers = [opened_form(base) for _person in range(SUBMISSIONS)]
    fields = form_fields(browsers[0][2])
    outcomes, barrier = [], threading.Barrier(SUBMISSIONS)
    threads = [
        threading.Thread(
            target=send,
            args=(
                opener,
                f"{base}/dod-zinu/",
                {**fields, **tokens, "last_name": f"Ķēniņš {n}", "email": f"p{n}@example.com"},
                outcomes,
                barrier,
            ),
        )
        for n, (opener, tokens, _page) in enumerate(browsers)
    ]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    elapsed = time.perf_counter() - started

    assert outcomes.count("ok") == SUBMISSIONS, (outcomes, log.read_text()[-3000:])
    # The requests stored the submissions; the worker beside gunicorn makes the cases.
    deadline = time.monotonic() + 90
    while True:
        with sqlite3.connect(database) as connection:
            cases = connection.execute(
                "SELECT count(*), count(DISTINCT c.reference) FROM coordinators_case c JOIN "
                "coordinators_returnee r ON r.id = c.returnee_id "
                "WHERE r.email LIKE 'p%@example.com'"
            ).fetchone()
            confirmations = connection.execute(
                "SELECT count(*) FROM outbox_email WHERE purpose = 'contact_confirmation'"
            ).fetchone()[0]
        if cases == (SUBMISSIONS, SUBMISSIONS) or time.monotonic() > deadline:
            break
        time.sleep(1)
    assert cases == (SUBMISSIONS, SUBMISSIONS)
    assert confirmations == SUBMISSIONS
    # The start-up wait polls /healthz, which is 503 until the worker's first sweep: not an
    # error of the submissions.
    errors = [
        record
        for record in log_records(log)
        if record["level"] in {"ERROR", "CRITICAL"}
        and record.get("message") != "Service Unavailable: /healthz"
    ]
    assert errors == []
    print(f"{SUBMISSIONS} simultaneous submissions on SQLite: {elapsed:.2f} s")
