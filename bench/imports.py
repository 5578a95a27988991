"""Benchmark of the history import: a 10,000-row history file checked (the dry run) and
imported, as the worker does both.

    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/wt_imports_bench \
        .venv/bin/python bench/imports.py [--rows 10000] [--format xlsx|csv]
    .venv/bin/python bench/imports.py --sqlite          # a throw-away SQLite file instead

The PostgreSQL database is dropped and made anew (migrate) on each run. The file holds
10,000 cases over 2019–2023 with the histories of the tests (new, closed, drafts, one or two
sent offers, returned, households, contacts). Each phase is timed as the task's function
runs in the worker (`import_job_check`, `import_job_run`: reading, every lookup, the
writes); peak memory is the process's ru_maxrss after the phase and, in a second dry run,
the Python allocations (tracemalloc).
"""

import argparse
import datetime
import json
import os
import resource
import subprocess  # noqa: S404 - dropdb/createdb of the benchmark's own database
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))


def parse():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--format", choices=["xlsx", "csv"], default="xlsx")
    parser.add_argument("--sqlite", action="store_true")
    parser.add_argument("--json", help="write the figures here for bench/suite.py")
    return parser.parse_args()


def database(args):
    if args.sqlite:
        path = Path(tempfile.mkdtemp()) / "bench.sqlite3"
        return f"sqlite:///{path}"
    url = os.environ.get(
        "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/wt_imports_bench"
    )
    parts = urlsplit(url)
    name, host = parts.path.lstrip("/"), parts.hostname or "127.0.0.1"
    user = parts.username or "postgres"
    subprocess.run(["dropdb", "-h", host, "-U", user, "--if-exists", name], check=True)  # noqa: S603, S607
    subprocess.run(["createdb", "-h", host, "-U", user, name], check=True)  # noqa: S603, S607
    return url


ARGS = parse()
os.environ["DATABASE_URL"] = database(ARGS)
os.environ.setdefault("SECRET_KEY", "benchmark-only")
os.environ["DEBUG"] = "0"
os.environ.setdefault("LOG_LEVEL", "ERROR")  # no request log line per measured GET
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "remigration.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from coordinators.models import Case, CaseEvent, Interaction, Returnee, User  # noqa: E402
from demo.builders import staff_user_ensure  # noqa: E402
from imports.models import ImportJob  # noqa: E402
from imports.services.jobs import (  # noqa: E402
    import_job_check,
    import_job_create,
    import_job_run,
    import_job_start,
)
from municipalities.models import PlanningRegion  # noqa: E402
from offers.models import Offer  # noqa: E402
from tests.import_files import csv_bytes, xlsx_bytes  # noqa: E402
from tests.test_history_import_reports import PATHS  # noqa: E402

MUNICIPALITIES = ["Liepājas valstspilsēta", "Ventspils valstspilsēta", "Kuldīgas novads",
                  "Saldus novads", "Talsu novads", "Tukuma novads"]  # fmt: skip
HOUSEHOLDS = ["", "dzīvesbiedrs 1984", "dzīvesbiedre 1980; bērns 2012; bērns 2016", "bērns 2019"]


FIGURES = {}  # label: seconds and memory, for bench/suite.py


def dotted(day):
    return day.strftime("%d.%m.%Y")


def history_rows(count):
    """`count` rows of varied history, first contacts over 2019–2023."""
    rows = []
    for number in range(count):
        created = datetime.date(2019 + number % 5, 1 + (number * 7) % 12, 1 + (number * 3) % 27)
        row = {
            "first_name": "Ilze", "last_name": f"Bērziņa{number}",
            "email": f"person{number}@example.com", "phone": "+44 7911 123456",
            "country": ["GB", "Īrija", "Germany", "NO"][number % 4], "town": "London",
            "legacy_reference": f"KURZ-{number}", "planning_region": "KUR",
            "municipality": MUNICIPALITIES[number % len(MUNICIPALITIES)],
            "source": ["email", "phone", "event", "contact_form"][number % 4],
            "needs": ["housing", "housing, work", "family, work", "Darbs"][number % 4],
            "household": HOUSEHOLDS[number % len(HOUSEHOLDS)],
            "created": dotted(created),
            "contacts": f"{dotted(created + datetime.timedelta(days=1))} tālrunis: pirmā saruna;"
                        f" {dotted(created + datetime.timedelta(days=9))} e-pasts",
        }  # fmt: skip
        for name, days, *rest in PATHS[number % len(PATHS)]:
            day = dotted(created + datetime.timedelta(days=days))
            row[name] = f"{row[name]}; {day}" if name in row else day
            if rest:
                row["closed_reason"] = rest[0]
        rows.append(row)
    return rows


def peak_rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed(label, function, **kwargs):
    started = time.perf_counter()
    result = function(**kwargs)
    seconds = time.perf_counter() - started
    print(f"{label}: {seconds:.1f} s, process peak {peak_rss_mb():.0f} MB", flush=True)
    FIGURES[label] = {"seconds": seconds, "peak_rss_mb": peak_rss_mb()}
    return result


def main():
    call_command("migrate", verbosity=0)
    coordinator = staff_user_ensure(
        username="bench-kurzeme", role=User.Role.REGIONAL_COORDINATOR,
        planning_region=PlanningRegion.objects.get(code="KUR"), first_name="Anna",
        last_name="Kalniņa",
    )  # fmt: skip
    started = time.perf_counter()
    rows = history_rows(ARGS.rows)
    content = xlsx_bytes(rows) if ARGS.format == "xlsx" else csv_bytes(rows, delimiter=";")
    print(f"{connection.vendor}, {ARGS.rows} rows, {ARGS.format} {len(content) / 1e6:.1f} MB "
          f"(built in {time.perf_counter() - started:.1f} s)")  # fmt: skip
    job = import_job_create(user=coordinator, file_name=f"bench.{ARGS.format}", content=content)
    ok = timed("check (dry run)", import_job_check, job_id=str(job.pk))
    job.refresh_from_db()
    print(f"  {job.status}, {job.summary.get('counts')}", flush=True)
    assert ok and job.status == ImportJob.Status.READY, job.problems[:5]  # noqa: S101
    tracemalloc.start()
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.CHECKING)
    import_job_check(job_id=str(job.pk))
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"  check again under tracemalloc: Python peak {peak / 1e6:.0f} MB", flush=True)
    import_job_start(job=job, actor=coordinator)
    ok = timed("import (check again + write)", import_job_run, job_id=str(job.pk))
    job.refresh_from_db()
    assert ok and job.status == ImportJob.Status.DONE  # noqa: S101
    print(f"  written: {Returnee.objects.count()} people, {Case.objects.count()} cases, "
          f"{CaseEvent.objects.count()} events, {Offer.objects.count()} offers, "
          f"{Interaction.objects.count()} contacts")  # fmt: skip
    if ARGS.json:
        FIGURES["rows"] = ARGS.rows
        FIGURES["format"] = ARGS.format
        Path(ARGS.json).write_text(json.dumps(FIGURES, indent=1))


if __name__ == "__main__":
    main()
