"""Benchmark of the public contact form side by side: the portal, its peer (django-helpdesk's
public ticket form) and bare Django, each under gunicorn on loopback with DEBUG off, against
PostgreSQL, measured by the same load client (bench/load.py) in interleaved rounds.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/wt_contact_bench \\
        .venv/bin/python bench/contact_form.py --rounds 4 --submissions 250 --clients 8 \\
        --workers 2 --peer --bare [--smtp-delay 5] [--json out.json]

Each round measures every server once, in the same order, so a change of the machine's load
falls on all of them; the figures are the medians over the rounds. The portal runs as in
production: gunicorn and the background worker (`manage.py worker`) sending the mail to an
SMTP sink on loopback; after each portal round the benchmark waits until the worker has
made every case and sent every mail, so that work does not land in the peer's time.
`--smtp-delay S` adds one more portal round while the sink waits S seconds a message: a slow
mail server must not reach the web requests. `--peer` installs django-helpdesk into its own
venv (bench/peer_helpdesk.py; skipped with a note when it cannot be installed); `--bare`
adds the ceiling (bench/bare_site.py: one CSRF check, one INSERT).

At the end it checks in the database that every submission became a case and every e-mail
is in the outbox. The databases named by DATABASE_URL (and its "_peer" twin) are dropped and
created anew: give them names of their own. The rate limit and the minimum fill time are
switched off for the run (CONTACT_FORM_RATE_LIMIT=0, CONTACT_FORM_MIN_FILL_SECONDS=0).
"""

import argparse
import json
import os
import re
import signal
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent))
import load  # noqa: E402
from load import wait_until_up  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/wt_contact_bench"
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


def portal_fill(region_ids, municipality_ids, need_ids):
    """The portal's form as a person fills it, region by region (None: the national queue)."""

    def fill(number, page):
        tokens = dict(TOKEN.findall(page))
        region = region_ids[number % len(region_ids)]
        return {
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

    return fill


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


def first_municipalities(page, regions):
    """One municipality per region id, as the form's grouped select lists them."""
    groups = page.split('name="municipality"')[1].split("</select>")[0].split("<optgroup")[1:]
    return {
        region_id: OPTION.findall(group)[0][0]
        for region_id, group in zip(regions, groups, strict=True)
    }


def process_stop(process):
    """Terminate one server we started; kill it if it does not stop within a minute."""
    process.terminate()
    try:
        process.wait(timeout=60)
    except subprocess.TimeoutExpired:
        process.kill()


class Portal:
    """The portal under gunicorn with the worker beside it, on a database made anew."""

    def __init__(self, url, arguments, *, root=ROOT, python=sys.executable, port=None):
        self.url, self.arguments = url, arguments
        # Another checkout (--baseline: the code before a change) runs with its own venv.
        self.root, self.python = Path(root), python
        self.port = port or arguments.port
        self.environment = server_environment(url, arguments.port + 1)
        self.processes = []
        self.fill = None

    def prepare(self):
        database_recreate(self.url)
        for command in (
            ["migrate", "--noinput", "-v0"],
            ["createcachetable"],
            ["collectstatic", "--noinput", "-v0"],
            ["compilemessages", "--ignore=.venv", "-v0"],
            ["shell", "-v", "0", "-c", SEED],
        ):
            # Our own interpreter and fixed arguments, no outside input.
            subprocess.run(  # noqa: S603
                [self.python, "manage.py", *command], cwd=self.root, env=self.environment,
                check=True,
            )  # fmt: skip

    def start(self):
        python, port, root = self.python, self.port, self.root
        self.processes = [
            subprocess.Popen(  # noqa: S603
                [python, "-m", "gunicorn", "remigration.wsgi:application",
                 "--bind", f"127.0.0.1:{port}", "--workers", str(self.arguments.workers),
                 "--log-level", "warning"],
                cwd=root, env=self.environment, stdout=subprocess.DEVNULL,
            ),
            subprocess.Popen(  # noqa: S603
                # At the niceness deploy/remigration-worker.service gives it (Nice=10).
                [python, "manage.py", "worker"], cwd=root, env=self.environment,
                stdout=subprocess.DEVNULL, preexec_fn=lambda: os.nice(10),
            ),
        ]  # fmt: skip
        page = wait_until_up(self.address)
        regions, _municipalities, needs = form_choices(page)
        self.regions = regions
        self.fill = portal_fill([*regions, None], first_municipalities(page, regions), needs)

    @property
    def address(self):
        return f"http://127.0.0.1:{self.port}/dod-zinu/"

    def drain(self, timeout=300):
        """Wait until the worker has made every case and sent every mail, so its work does
        not fall into the next server's measurement; the seconds it took."""
        started = time.perf_counter()
        with psycopg.connect(self.url, autocommit=True) as connection:
            while time.perf_counter() - started < timeout:
                waiting = connection.execute(
                    "SELECT (SELECT count(*) FROM coordinators_contactsubmission "
                    "WHERE status = 'received') + (SELECT count(*) FROM outbox_email "
                    "WHERE status <> 'sent')"
                ).fetchone()[0]
                if not waiting:
                    break
                time.sleep(0.5)
        return time.perf_counter() - started

    def stop(self):
        for process in self.processes:
            process_stop(process)


class Bare:
    """The ceiling: bare Django, one CSRF check and one INSERT, the same client."""

    def __init__(self, url, arguments):
        self.url, self.arguments = url, arguments
        self.server = None

    @property
    def address(self):
        return f"http://127.0.0.1:{self.arguments.port + 2}/dod-zinu/"

    def prepare(self):
        with psycopg.connect(self.url, autocommit=True) as connection:
            connection.execute(
                "CREATE TABLE IF NOT EXISTS bench_bare (id serial PRIMARY KEY, name text)"
            )

    def start(self):
        environment = os.environ | {
            "DATABASE_URL": self.url,
            "DJANGO_SETTINGS_MODULE": "bench.bare_site",
        }
        self.server = subprocess.Popen(  # noqa: S603
            [sys.executable, "-m", "gunicorn", "bench.bare_site:application",
             "--bind", f"127.0.0.1:{self.arguments.port + 2}",
             "--workers", str(self.arguments.workers), "--log-level", "warning"],
            cwd=ROOT, env=environment,
        )  # fmt: skip
        wait_until_up(self.address)

    @staticmethod
    def fill(number, page):
        return {"csrfmiddlewaretoken": TOKEN.search(page).group(2), "last_name": f"B {number}"}

    def stop(self):
        if self.server:
            process_stop(self.server)


def server_get_ms(url, repeat=50):
    """The form page's GET alone, one client, sequential: median ms (close to server time
    on loopback: no concurrency, no queueing)."""
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - loopback
            response.read()
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


def rounds_run(targets, arguments, portal):
    """Interleaved rounds: each target measured once a round, in the same order, so a
    change of the machine's load falls on all of them alike."""
    results = {name: [] for name, _target in targets}
    for number in range(arguments.rounds):
        for name, target in targets:
            figures = load.measure(
                target.address, target.fill, submissions=arguments.submissions,
                clients=arguments.clients, first_number=number * arguments.submissions,
            )  # fmt: skip
            if isinstance(target, Portal):  # its worker's backlog first, then the GET alone
                figures["drain_seconds"] = target.drain()
            figures["get_alone"] = server_get_ms(target.address)
            results[name].append(figures)
            print(
                f"  round {number + 1} {name}: {figures['rate']:.1f}/s, POST p50 "
                f"{figures['post_p50']:.0f} ms, p95 {figures['post_p95']:.0f} ms, "
                f"GET alone {figures['get_alone']:.1f} ms", flush=True,
            )  # fmt: skip
    return results


def slow_mail_run(portal, sink, arguments, delay):
    """One more portal round while the mail server takes `delay` s a message."""
    sink.delay = delay
    figures = load.measure(
        portal.address, portal.fill, submissions=arguments.submissions,
        clients=arguments.clients, first_number=arguments.rounds * arguments.submissions,
    )  # fmt: skip
    sink.delay = 0
    print(f"  portal, SMTP {delay:g} s: {figures['rate']:.1f}/s", flush=True)
    return figures


def arguments_parse():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--submissions", type=int, default=250, help="per round and server")
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    parser.add_argument("--port", type=int, default=8101)
    parser.add_argument(
        "--smtp-delay", type=float, default=None,
        help="one more portal round with a mail server this slow (seconds a message)",
    )  # fmt: skip
    parser.add_argument("--bare", action="store_true", help="also measure bare Django")
    parser.add_argument("--peer", action="store_true", help="also measure django-helpdesk")
    parser.add_argument(
        "--baseline", metavar="CHECKOUT",
        help="also measure the portal of another checkout (its .venv), e.g. before a change",
    )  # fmt: skip
    parser.add_argument("--json", help="write the figures here for bench/suite.py")
    return parser.parse_args()


def table_print(results, arguments):
    print(
        f"\n{arguments.rounds} rounds of {arguments.submissions} submissions, "
        f"{arguments.clients} clients, {arguments.workers} gunicorn workers, PostgreSQL, "
        "DEBUG off; medians over the rounds"
    )
    print(f"| {'setup':32} | submissions/s | POST p50 | POST p95 | GET alone |")
    print(f"|{'-' * 34}|---------------|----------|----------|-----------|")
    for name, rounds in results.items():
        rate, p50, p95, get = (
            statistics.median(figures[key] for figures in rounds)
            for key in ("rate", "post_p50", "post_p95", "get_alone")
        )
        print(f"| {name:32} | {rate:13.1f} | {p50:5.0f} ms | {p95:5.0f} ms | {get:6.1f} ms |")


def main():
    """Prepare every server, run the interleaved rounds, print and store the figures."""
    arguments = arguments_parse()
    # A SIGTERM (timeout, Ctrl-C of make) runs the `finally` below: no server left behind.
    signal.signal(signal.SIGTERM, lambda *_args: sys.exit(143))
    url = os.environ.get("DATABASE_URL", DEFAULT_DATABASE_URL)
    if not url.startswith("postgres"):
        raise SystemExit("The benchmark runs on PostgreSQL: set DATABASE_URL=postgres://...")
    from peer_helpdesk import HelpdeskPeer, peer_fill

    sink = SlowSink(arguments.port + 1, 0)
    portal = Portal(url, arguments)
    targets, notes = [("portal", portal)], []
    if arguments.peer:
        peer = HelpdeskPeer(url, port=arguments.port + 3, workers=arguments.workers,
                            smtp_port=arguments.port + 1)  # fmt: skip
        peer.fill = peer_fill
        if peer.prepare():
            targets.append(("django-helpdesk 2.6.1", peer))
        else:
            notes.append(f"peer skipped: {peer.unavailable}")
            print(notes[-1])
    if arguments.baseline:
        checkout = Path(arguments.baseline).resolve()
        commit = subprocess.run(  # noqa: S603
            ["git", "rev-parse", "--short", "HEAD"],  # noqa: S607 - git on PATH
            cwd=checkout, capture_output=True, text=True, check=False,
        ).stdout.strip()  # fmt: skip
        venv = checkout / ".venv" / "bin" / "python"
        baseline = Portal(
            f"{url}_before", arguments, root=checkout,
            python=str(venv) if venv.exists() else sys.executable, port=arguments.port + 4,
        )  # fmt: skip
        label = os.environ.get("BENCH_BASELINE_LABEL") or f"{checkout.name} {commit}".strip()
        targets.insert(1, (f"portal before ({label})", baseline))
    if arguments.bare:
        targets.append(("bare Django", Bare(url, arguments)))
    for _name, target in targets:
        if isinstance(target, Portal | Bare):
            target.prepare()
    extra = {}
    try:
        for _name, target in targets:
            target.start()
        for _name, target in targets[1:]:
            wait_until_up(target.address)
        results = rounds_run(targets, arguments, portal)
        if arguments.smtp_delay:
            extra["slow_mail"] = slow_mail_run(portal, sink, arguments, arguments.smtp_delay)
            extra["slow_mail"]["delay"] = arguments.smtp_delay
        extra["drain_seconds"] = portal.drain()
    finally:
        for _name, target in targets:
            target.stop()
        received = sink.received
        sink.stop()
    total = arguments.rounds * (arguments.submissions + arguments.clients)
    if arguments.smtp_delay:
        total += arguments.submissions + arguments.clients
    ok = verify(url, total, regions=len(portal.regions))
    print(f"  mails the sink accepted: {received}")
    table_print(results, arguments)
    if arguments.json:
        Path(arguments.json).write_text(
            json.dumps(
                {
                    "results": results,
                    "extra": extra,
                    "notes": notes,
                    "ok": ok,
                    "settings": vars(arguments),
                },
                indent=1,
            )  # fmt: skip
        )
    if not ok:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
