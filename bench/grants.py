"""Benchmark: a grant call's results, XLSX and PDF with 43 applications (every
municipality of Latvia, as if one call took them all), three criteria, five members.

    DEBUG=1 .venv/bin/python bench/grants.py [--repeat 5] [--applications 43]

Prints the queries and time of the chair's results (call_results), and the time and size of
the XLSX and PDF exports. `--applications 11` is the biggest regional call (Vidzeme).
"""

import argparse
import datetime
import io
import os
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "remigration.settings")
os.environ.setdefault("SECRET_KEY", "bench-only")
os.environ["DATABASE_URL"] = "sqlite://:memory:"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402
from pypdf import PdfReader  # noqa: E402


def build(count):
    from coordinators.models import User
    from grants import services
    from grants.models import ActivityKind, Application, Call
    from municipalities.models import Municipality, PlanningRegion

    admin = User.objects.create(username="admin", role=User.Role.NATIONAL_ADMIN)
    members = [
        User.objects.create(username=f"member{n}", role=User.Role.NATIONAL_ADMIN) for n in range(5)
    ]
    call = services.call_create(
        actor=admin, title="Remigrācijas sekmēšanas pakalpojumi pašvaldībās",
        planning_region=PlanningRegion.objects.get(code="KUR"),
        total_budget=Decimal("430000"), maximum_per_municipality=Decimal("10000"),
        deadline=timezone.now() + datetime.timedelta(days=1), activity_kinds=ActivityKind.values,
        criteria=[("Atbilstība", 3, 5), ("Auditorija", 2, 5), ("Izmaksas", 1, 5)],
        members=members, chair=members[0],
    )  # fmt: skip
    for number, municipality in enumerate(Municipality.objects.order_by("name")[:count]):
        specialist = User.objects.create(
            username=f"specialist{number}", role=User.Role.MUNICIPAL_SPECIALIST,
            municipality=municipality,
        )  # fmt: skip
        # Every municipality into one call: the rule "same region" is bypassed for scale.
        application = Application.objects.create(
            call=call, municipality=municipality, created_by=specialist,
            title=f"Diasporas informēšana — {municipality.name}",
        )  # fmt: skip
        for kind in ActivityKind.values[:3]:
            services.activity_add(
                application=application, kind=kind, title=f"{kind} ārvalstīs",
                planned_start=datetime.date(2027, 3, 1), planned_end=datetime.date(2027, 6, 1),
                expected_reach=100,
                budget_lines=[("Telpas", Decimal("1500")), ("Ceļš", Decimal("1400"))],
            )  # fmt: skip
        application = services.application_submit(application=application)
        for member in members:
            services.score_record(
                application=application, member=member,
                scores={c.pk: (number + c.pk) % 6 for c in call.criteria.all()},
            )  # fmt: skip
    return Call.objects.get(pk=call.pk)


def timed(function, repeat):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return result, statistics.median(times)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--applications", type=int, default=43, help="at most 43")
    arguments = parser.parse_args()
    call_command("migrate", verbosity=0)
    call = build(arguments.applications)

    from grants.exports import call_pdf, call_xlsx
    from grants.selectors import call_results

    connection.queries_log.clear()
    with CaptureQueriesContext(connection) as queries:
        results = call_results(call=call)
    _, seconds = timed(lambda: call_results(call=call), arguments.repeat)
    print(f"results: {len(results)} applications, {len(queries)} queries, {seconds * 1000:.1f} ms")
    xlsx, seconds = timed(lambda: call_xlsx(call), arguments.repeat)
    print(f"XLSX: {len(xlsx) / 1024:.0f} KiB in {seconds * 1000:.0f} ms")
    call_pdf(call)  # warm-up: fonts
    pdf, seconds = timed(lambda: call_pdf(call), arguments.repeat)
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    print(f"PDF: {pages} pages, {len(pdf) / 1024:.0f} KiB in {seconds * 1000:.0f} ms")


if __name__ == "__main__":
    main()
