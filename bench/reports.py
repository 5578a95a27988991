"""Benchmark of the report page and its exports on PostgreSQL with 100,000 cases and about
1,000,000 case events.

    createdb -h 127.0.0.1 -U postgres wt_reports_bench   # once
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/wt_reports_bench \
        /work/main/.venv/bin/python bench/reports.py [--cases 100000] [--rebuild]

The data are generated once (bench/seed.py: PostgreSQL COPY) and reused by later runs. Each
measurement is the best of a few runs through Django's test client (middleware, templates,
exports included), then one more run under tracemalloc for the peak Python memory. The PDF is
made by the worker: its request (which only asks) and the worker's rendering are measured
apart, the rendering by calling the task's function as the worker does.
"""

import argparse
import datetime
import json
import os
import sys
import time
import tracemalloc
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ["DATABASE_URL"] = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/wt_reports_bench"
)
os.environ.setdefault("SECRET_KEY", "benchmark-only")
os.environ["DEBUG"] = "0"
os.environ.setdefault("LOG_LEVEL", "ERROR")  # no request log line per measured GET
os.environ["ALLOWED_HOSTS"] = "testserver"
# The benchmark measures the reports, not the second factor of a national admin's login.
os.environ["OTP_REQUIRED_FOR_NATIONAL_ADMINS"] = "0"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "remigration.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402
from seed import seed  # noqa: E402 - bench/seed.py: the script's own directory is on sys.path

from coordinators.models import Case, CaseEvent, HouseholdMember, User  # noqa: E402
from demo.builders import staff_user_ensure  # noqa: E402
from municipalities.models import PlanningRegion  # noqa: E402
from offers.models import Offer  # noqa: E402
from reports.models import ReportExport  # noqa: E402
from reports.services import report_export_build  # noqa: E402


def generate(total_cases, *, offset=0):
    """Cases spread from March 2018 to this summer, each walking 9 steps of the pipeline
    (bench/seed.py's "reports" profile: PostgreSQL COPY)."""
    return seed(cases=total_cases, profile="reports", offset=offset)


def measure(client, url, query, repeat=3):
    """Best wall time of `repeat` runs, the response size, and the peak traced memory."""

    def run():
        response = client.get(url, query, secure=True)
        assert response.status_code == 200, (url, response.status_code)
        if response.streaming:
            return sum(len(chunk) for chunk in response.streaming_content)
        return len(response.content)

    return timed(run, repeat)


def measure_pdf_request(client, query, repeat=3):
    """The "Prepare PDF" POST: it stores the request and a task, and renders nothing."""

    def run():
        response = client.post(f"/en/reports/pdf/?{urlencode(query)}", secure=True)
        assert response.status_code == 302, response.status_code
        return 0

    return timed(run, repeat)


def measure_pdf_worker(client, user, query, repeat=3):
    """The worker's half: render one requested PDF and store it (the request not timed)."""

    def run():
        client.post(f"/en/reports/pdf/?{urlencode(query)}", secure=True)
        pending = ReportExport.objects.filter(requested_by=user, status=ReportExport.Status.PENDING)
        export = pending.latest("created_at")
        started = time.perf_counter()
        assert report_export_build(export_id=str(export.pk))
        seconds = time.perf_counter() - started
        return seconds, len(ReportExport.objects.get(pk=export.pk).content)

    runs = [run() for _n in range(repeat)]
    tracemalloc.start()
    run()
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return min(seconds for seconds, _size in runs), runs[-1][1], peak


def timed(run, repeat):
    """Best wall time of `repeat` runs of `run` (which returns a size), the size, the peak."""
    times = []
    for _n in range(repeat):
        started = time.perf_counter()
        size = run()
        times.append(time.perf_counter() - started)
    tracemalloc.start()
    run()
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return min(times), size, peak


def main():
    """Generate the data once, then measure the page and each export as two roles."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--rebuild", action="store_true", help="delete and generate the data")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", help="write the figures here for bench/suite.py")
    arguments = parser.parse_args()

    call_command("migrate", verbosity=0)
    call_command("collectstatic", "--noinput", verbosity=0)  # DEBUG is off: the manifest
    if arguments.rebuild:
        print("Deleting the old benchmark data ...")
        with connection.cursor() as cursor:
            cursor.execute(
                "TRUNCATE offers_offeritem, offers_offer, coordinators_caseevent, "
                "coordinators_case_needs, coordinators_case, coordinators_householdmember, "
                "coordinators_returnee, coordinators_referencesequence CASCADE"
            )
    existing = Case.objects.count()
    if existing < arguments.cases:
        print(f"Generating {arguments.cases - existing:,} cases ...")
        started = time.perf_counter()
        generate(arguments.cases - existing, offset=existing)
        print(f"  generated in {time.perf_counter() - started:.0f} s")
    # Fresh statistics and visibility map, as autovacuum keeps them on a live server (the
    # covering index on case events is only read alone when the visibility map is set).
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
        # The load's dirty pages written out now, not by a checkpoint in the middle of
        # the measured requests.
        cursor.execute("CHECKPOINT")
    print(
        f"Data: {Case.objects.count():,} cases, {CaseEvent.objects.count():,} events, "
        f"{Offer.objects.count():,} offers, {HouseholdMember.objects.count():,} household members"
    )

    admin = staff_user_ensure(username="bench-admin", role=User.Role.NATIONAL_ADMIN)
    coordinator = staff_user_ensure(
        username="bench-kurzeme",
        role=User.Role.REGIONAL_COORDINATOR,
        planning_region=PlanningRegion.objects.get(code="KUR"),
    )
    last_year = timezone.localdate().year - 1
    year = {"date_from": f"01.01.{last_year}", "date_to": f"31.12.{last_year}"}
    since_start = {"period": "since_start"}
    cases = [
        ("page, national admin, last year", admin, "/en/reports/", year),
        ("page, Kurzeme coordinator, last year", coordinator, "/en/reports/", year),
        ("page, national admin, since 2018", admin, "/en/reports/", since_start),
        ("page, Kurzeme coordinator, since 2018", coordinator, "/en/reports/", since_start),
        ("XLSX, national admin, last year", admin, "/en/reports/export.xlsx", year),
        ("CSV, national admin, last year", admin, "/en/reports/export.csv", year),
        ("PDF request, national admin, since 2018", admin, "pdf-request", since_start),
        ("PDF in the worker, national admin, last year", admin, "pdf-worker", year),
        ("PDF in the worker, national admin, since 2018", admin, "pdf-worker", since_start),
        ("case CSV, all cases (streamed)", admin, "/en/reports/cases.csv", since_start),
    ]
    print(f"load average before the run: {os.getloadavg()[0]:.1f}")
    figures = []
    print(f"\n{'measurement':46} {'best s':>8} {'size':>12} {'peak MiB':>9}")
    for label, user, url, query in cases:
        client = Client()
        client.force_login(user)
        repeat = 1 if "case CSV" in label else arguments.repeat
        try:
            if url == "pdf-request":
                seconds, size, peak = measure_pdf_request(client, query, repeat=repeat)
            elif url == "pdf-worker":
                seconds, size, peak = measure_pdf_worker(client, user, query, repeat=repeat)
            else:
                seconds, size, peak = measure(client, url, query, repeat=repeat)
        except ImportError as error:
            print(f"{label:46} skipped: {error}")
            continue
        print(f"{label:46} {seconds:8.3f} {size:12,} {peak / 2**20:9.1f}")
        figures.append({"name": label, "seconds": seconds, "size": size, "peak_mib": peak / 2**20})
    figures += measure_closed_period(admin, year, last_year, repeat=arguments.repeat)
    explain = heaviest_query_explain(admin, since_start)
    if arguments.json:
        Path(arguments.json).write_text(
            json.dumps(
                {"cases": Case.objects.count(), "rows": figures, "explain": explain}, indent=1
            )
        )


def heaviest_query_explain(admin, query):
    """The national page since 2018 once more with its SQL captured: the time of each
    query, and EXPLAIN (ANALYZE, BUFFERS) of the slowest, for docs/benchmarks.md."""
    client = Client()
    client.force_login(admin)
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/en/reports/", query, secure=True).status_code == 200
    seconds = time.perf_counter() - started
    queries = sorted(captured.captured_queries, key=lambda q: -float(q["time"]))
    heaviest = queries[0]["sql"]
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {heaviest}")
        plan = [row[0] for row in cursor.fetchall()]
    sql_seconds = sum(float(q["time"]) for q in queries)
    print(
        f"national page since 2018: {seconds:.3f} s, {len(queries)} queries, "
        f"{sql_seconds:.3f} s of SQL; the slowest {float(queries[0]['time']):.3f} s"
    )
    return {
        "page_seconds": seconds,
        "sql_seconds": sql_seconds,
        "query_seconds": [float(q["time"]) for q in queries],
        "heaviest_sql": heaviest,
        "plan": plan,
    }


def measure_closed_period(admin, year, last_year, *, repeat):
    """Closing last year (the request stores it pending; the worker stores its figures for
    the country and each region) and the page of the closed year (stored figures, live
    ones for the corrections)."""
    try:
        from reports.models import ClosedPeriod
        from reports.services import closed_period_close, closed_period_create
    except ImportError as error:  # a checkout from before the period lock
        print(f"{'closing a period':46} skipped: {error}")
        return []
    ClosedPeriod.objects.all().delete()
    started = time.perf_counter()
    period = closed_period_create(
        date_from=datetime.date(last_year, 1, 1),
        date_to=datetime.date(last_year, 12, 31),
        actor=admin,
    )
    requested = time.perf_counter() - started
    print(f"{'close last year: the request':46} {requested:8.3f}")
    started = time.perf_counter()
    assert closed_period_close(period_id=period.pk)  # what the worker does
    closing = time.perf_counter() - started
    print(f"{'close last year: the worker (country + 5 regions)':46} {closing:8.3f}")
    client = Client()
    client.force_login(admin)
    seconds, size, peak = measure(client, "/en/reports/", year, repeat=repeat)
    label = "page, national admin, last year (closed)"
    print(f"{label:46} {seconds:8.3f} {size:12,} {peak / 2**20:9.1f}")
    ClosedPeriod.objects.all().delete()
    print(f"load average after the run: {os.getloadavg()[0]:.1f}")
    return [
        {"name": "close last year: the request", "seconds": requested, "size": 0,
         "peak_mib": 0},
        {"name": "close last year: the worker (country + 5 regions)", "seconds": closing,
         "size": 0, "peak_mib": 0},
        {"name": label, "seconds": seconds, "size": size, "peak_mib": peak / 2**20},
    ]  # fmt: skip


if __name__ == "__main__":
    main()
