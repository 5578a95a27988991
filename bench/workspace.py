"""Benchmark of the coordinators' workspace on PostgreSQL: case list and case page.

Fills its own database with N cases and ~10 timeline entries per case (bench/seed.py:
PostgreSQL COPY, a million cases in minutes), then requests the pages in-process through
Django's test Client (templates and middleware included, DEBUG off) and prints p50/p95 and
the number of SQL queries.

    python bench/workspace.py                       # 100,000 cases, ~1,000,000 entries
    python bench/workspace.py --cases 5000 --repeat 5
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/other python bench/workspace.py

The data is created once and reused while the database holds at least --cases cases.
"""

import argparse
import json
import os
import statistics
import sys
import time
from datetime import date, datetime
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from seed import seed  # noqa: E402 - bench/seed.py: the script's own directory is on sys.path

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/wt_workspace_bench"
SEED_FIGURES = {}  # what this run's seeding added and how fast, for the suite


def database_create(url):
    """Create the benchmark database if it is missing (never touches any other)."""
    import psycopg

    name = url.rsplit("/", 1)[1]
    server = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(server, autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{name}"')


def django_setup(url):
    """Point Django at the benchmark database, DEBUG off, and migrate it."""
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("SECRET_KEY", "benchmark-only-secret")
    os.environ["DEBUG"] = "0"
    os.environ.setdefault("LOG_LEVEL", "ERROR")  # no request log line per measured GET
    os.environ["ALLOWED_HOSTS"] = "testserver,127.0.0.1"
    # The bench administrator has no phone for the second factor; the middleware's cost
    # (one device query) is still measured for everybody.
    os.environ["OTP_REQUIRED_FOR_NATIONAL_ADMINS"] = "0"
    os.environ["DJANGO_SETTINGS_MODULE"] = "remigration.settings"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def staff_create():
    """Two coordinators per region and a national administrator."""
    from coordinators.models import User
    from demo.builders import regional_coordinators_ensure, staff_user_ensure

    users = regional_coordinators_ensure(username_prefix="bench", per_region=2)
    admin = staff_user_ensure(username="bench-admin", role=User.Role.NATIONAL_ADMIN)
    return users, admin


def data_fill(target, staff):
    """Cases up to `target` through bench/seed.py (COPY), ~10 timeline entries each."""
    from coordinators.models import Case

    existing = Case.objects.count()
    if existing >= target:
        print(f"data: {existing:,} cases already there")
        return
    figures = seed(cases=target - existing, profile="workspace", staff=staff)
    print(
        f"data: {target:,} cases, {figures['rows']:,} rows added in {figures['seconds']:.0f} s "
        f"({figures['cases'] / figures['seconds']:,.0f} cases/s)"
    )
    SEED_FIGURES.update(cases=figures["cases"], seconds=figures["seconds"], entries=figures["rows"])
    heavy = Case.objects.filter(reference__startswith="KUR-").order_by("pk").first()
    if heavy.events.count() < 2000:  # once: a later, bigger run (growth) reuses this case
        heavy_case_fill(heavy, entries=2000)
    from django.db import connection

    with connection.cursor() as cursor:
        # What autovacuum does on a live database: statistics and the visibility map.
        cursor.execute("VACUUM ANALYZE")
        # The load's dirty pages written out now, not by a checkpoint in the middle of
        # the measured requests.
        cursor.execute("CHECKPOINT")


def heavy_case_fill(case, entries):
    """One case with years of history: the worst case page. It is closed for no response and
    reopened, again and again, from its last change until today."""
    from django.utils import timezone

    from coordinators.models import Case, Interaction
    from demo.builders import Step, history_append, interaction_build

    now = timezone.now()
    gap = (now - case.status_changed_at) / (entries + 1)
    status, steps = case.status, []
    for number in range(1, entries + 1):
        status = Case.Status.CONTACTED if status == Case.Status.CLOSED else Case.Status.CLOSED
        reason = "no_response" if status == Case.Status.CLOSED else ""
        steps.append(Step(status, case.status_changed_at + gap * number, reason))
    history_append(case=case, steps=steps)
    Interaction.objects.bulk_create(
        interaction_build(case=case, kind="email", summary="Sarakste.", when=step.when)
        for step in steps
    )


def measure(client, url, repeat):
    """p50 and p95 in ms of `repeat` GETs after a warm-up, and the warm-up's query count."""
    from django.db import connection

    # A wrapper, not CaptureQueriesContext: Django clears the query log when a request starts.
    queries = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        # HTTPS, as in production (with DEBUG off plain HTTP is redirected).
        response = client.get(url, secure=True)
    assert response.status_code == 200, (url, response.status_code)
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        client.get(url, secure=True)
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    p95 = timings[min(len(timings) - 1, round(0.95 * (len(timings) - 1)))]
    return statistics.median(timings), p95, len(queries)


def main():
    """Fill the database if needed, then time the list variants, case pages and dashboards."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--json", help="write the figures here for bench/suite.py")
    args = parser.parse_args()
    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    database_create(url)
    django_setup(url)

    from django.test import Client

    from coordinators.models import Case, CaseEvent, Interaction, MunicipalityRequest
    from offers.models import Offer
    from outbox.models import Email

    staff, admin = staff_create()
    data_fill(args.cases, staff)
    total_entries = sum(
        model.objects.count()
        for model in (CaseEvent, Interaction, MunicipalityRequest, Offer, Email)
    )
    print(f"database: {Case.objects.count():,} cases, {total_entries:,} timeline entries")

    coordinator = staff[("KUR", 0)]
    visible = Case.objects.visible_to(coordinator)
    sample = visible.order_by("?").values_list("reference", "returnee__last_name")[:1][0]
    heavy = (
        Case.objects.filter(reference__startswith="KUR-")
        .order_by("pk")
        .values_list("reference", flat=True)
        .first()
    )
    heavy_size = CaseEvent.objects.filter(case__reference=heavy).count()
    scenarios = [
        ("list, first page", {}),
        ("list, page 200", {"page": 200}),
        ("list, status", {"status": "contacted"}),
        ("list, need + source", {"need": "housing", "source": "phone"}),
        ("list, country, sorted by name", {"country": "IE", "sort": "name"}),
        ("list, mine + follow-up due", {"coordinator": "me", "follow_up": "due"}),
        ("list, waiting for municipality", {"waiting": "municipality"}),
        ("list, waiting for decision", {"waiting": "decision"}),
        ("list, created between", {"created_from": "01.01.2025", "created_to": "30.06.2025"}),
        ("list, search surname", {"q": sample[1]}),
        ("list, search reference", {"q": sample[0]}),
        ("list, search e-mail", {"q": "bench12345@example.com"}),
        ("list, search phone", {"q": "+44 770 0012345"}),
        ("list, sorted by follow-up", {"sort": "follow_up"}),
    ]
    client = Client()
    client.force_login(coordinator)
    rows = []
    for name, params in scenarios:
        if "q" in params:
            # Search text goes by POST into the session (never into a URL).
            client.post("/cases/search/", {"q": params.pop("q")}, secure=True)
            params["search"] = "on"
        url = "/cases/" + ("?" + urlencode(params) if params else "")
        rows.append((f"coordinator: {name}", *measure(client, url, args.repeat)))
    references = list(visible.order_by("?").values_list("reference", flat=True)[:20])
    page_timings = [measure(client, f"/cases/{reference}/", 1) for reference in references]
    rows.append(
        (
            "coordinator: case page, 20 random cases",
            statistics.median(t[0] for t in page_timings),
            sorted(t[1] for t in page_timings)[-2],
            max(t[2] for t in page_timings),
        )
    )
    rows.append(
        (
            f"coordinator: case page, {heavy_size:,} events",
            *measure(client, f"/cases/{heavy}/", args.repeat),
        )
    )
    rows.append(("coordinator: dashboard", *measure(client, "/", args.repeat)))
    admin_client = Client()
    admin_client.force_login(admin)
    rows.append(
        ("national admin: list, first page", *measure(admin_client, "/cases/", args.repeat))
    )
    admin_client.post("/cases/search/", {"q": sample[1]}, secure=True)
    rows.append(
        (
            "national admin: list, search surname",
            *measure(admin_client, "/cases/?search=on", args.repeat),
        )
    )
    rows.append(("national admin: dashboard", *measure(admin_client, "/", args.repeat)))
    last_year = date.today().year - 1
    report = "/reports/?" + urlencode(
        {"date_from": f"01.01.{last_year}", "date_to": f"31.12.{last_year}"}
    )
    rows.append(("national admin: report page, last year", *measure(admin_client, report, 3)))

    width = max(len(row[0]) for row in rows)
    print(f"\n{'page':<{width}}  {'p50 ms':>8}  {'p95 ms':>8}  {'queries':>7}")
    for name, p50, p95, queries in rows:
        print(f"{name:<{width}}  {p50:8.1f}  {p95:8.1f}  {queries:7d}")
    if args.json:
        Path(args.json).write_text(
            json.dumps(
                {
                    "cases": Case.objects.count(),
                    "entries": total_entries,
                    "repeat": args.repeat,
                    "seed": SEED_FIGURES,
                    "rows": [
                        {"name": n, "p50": p50, "p95": p95, "queries": q} for n, p50, p95, q in rows
                    ],
                },
                indent=1,
            )
        )
    print(f"\n{args.repeat} requests a row after a warm-up; {datetime.now():%d.%m.%Y %H:%M}")


if __name__ == "__main__":
    main()
