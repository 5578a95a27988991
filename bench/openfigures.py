"""Benchmark of the public figures on PostgreSQL: computing them (the worker's job), and the
page, the widget and the JSON from the worker's snapshot (cache empty) and from the cache.

    createdb -h 127.0.0.1 -U postgres helper_events_bench   # once
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/helper_events_bench \\
        .venv/bin/python bench/openfigures.py [--cases 20000]

The data are bench/reports.py's (cases from March 2018 walking the pipeline, with offers),
generated once and reused. Prints the best of a few runs and the number of queries.
"""

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/helper_events_bench"
)
os.environ.setdefault("CACHE_URL", "locmemcache://")

from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from bench.reports import generate  # noqa: E402  (sets up Django on BENCH_DATABASE_URL)
from coordinators.models import Case, CaseEvent  # noqa: E402
from openfigures.selectors import public_figures_compute  # noqa: E402
from openfigures.services import public_figures_refresh  # noqa: E402


def best(run, repeat):
    """The best wall time of `repeat` runs, and the queries of the last one."""
    times = []
    for _n in range(repeat):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            run()
            times.append(time.perf_counter() - started)
    return min(times), len(queries)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=3)
    arguments = parser.parse_args()
    call_command("migrate", verbosity=0)
    call_command("collectstatic", "--noinput", verbosity=0)  # DEBUG is off: the manifest
    existing = Case.objects.count()
    if existing < arguments.cases:
        print(f"Generating {arguments.cases - existing:,} cases ...")
        generate(arguments.cases - existing, offset=existing)
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    print(f"Data: {Case.objects.count():,} cases, {CaseEvent.objects.count():,} events")
    client = Client()
    seconds, queries = best(public_figures_compute, arguments.repeat)
    print(f"  compute (the worker's job) {seconds * 1000:8.0f} ms  {queries:4d} queries")
    public_figures_refresh()
    for name, url in (
        ("page /en/figures/", "/en/figures/"),
        ("widget", "/figures/widget/"),
        ("JSON", "/figures/figures.json"),
    ):
        cache.clear()
        response = client.get(url, secure=True)
        assert response.status_code == 200, (url, response.status_code)
        cache.clear()
        cold, cold_queries = best(lambda url=url: client.get(url, secure=True), 1)
        warm, warm_queries = best(lambda url=url: client.get(url, secure=True), arguments.repeat)
        print(
            f"  {name:26} from the snapshot {cold * 1000:6.1f} ms ({cold_queries} queries), "
            f"cached {warm * 1000:5.1f} ms ({warm_queries} queries)"
        )


if __name__ == "__main__":
    main()
