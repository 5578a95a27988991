"""Benchmark: render individual offers to PDF.

    DEBUG=1 /work/main/.venv/bin/python bench/offers.py [--batch 100] [--sample out.pdf]

Builds a realistic 2–3 page offer (four needs, Latvian text with diacritics) in a throw-away
SQLite database in memory, then prints the time per offer (after one warm-up render), the
time for a batch, and peak memory (tracemalloc: Python allocations during the batch;
ru_maxrss: the whole process, including WeasyPrint's C libraries).
"""

import argparse
import io
import json
import os
import resource
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "remigration.settings")
os.environ.setdefault("SECRET_KEY", "bench-only")
os.environ["DATABASE_URL"] = "sqlite://:memory:"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402
from pypdf import PdfReader  # noqa: E402

PARAGRAPH = (
    "Pašvaldība var piedāvāt vietu pirmsskolas izglītības iestādē tuvu dzīvesvietai; "
    "remigrantu ģimenēm rindā ir prioritāte. Skolā bērnam palīdzēs apgūt latviešu valodu, "
    "un pēcpusdienās ir interešu izglītības pulciņi. "
)


def build_offer():
    """A case in Liepāja with four needs and an offer of 2–3 pages, made today through the
    services a coordinator uses (demo.builders only for the coordinator)."""
    from coordinators.models import Case, Returnee, User
    from coordinators.services.cases import case_create
    from coordinators.services.pipeline import case_transition
    from demo.builders import staff_user_ensure
    from municipalities.models import Municipality, NeedCategory, PlanningRegion
    from offers.services import offer_create_draft, offer_item_update

    kurzeme = PlanningRegion.objects.get(code="KUR")
    coordinator = staff_user_ensure(
        username="bench",
        role=User.Role.REGIONAL_COORDINATOR,
        planning_region=kurzeme,
        first_name="Anna",
        last_name="Kalniņa",
        email="anna.kalnina@kurzemesregions.lv",
        phone="+37126000000",
    )
    returnee = Returnee.objects.create(
        first_name="Ģirts",
        last_name="Ķēniņš",
        email="girts@example.com",
        consent_given_at=timezone.now(),
    )
    liepaja = Municipality.objects.get(name="Liepājas valstspilsēta")
    case = case_create(
        case=Case(
            returnee=returnee,
            planning_region=kurzeme,
            municipality=liepaja,
            coordinator=coordinator,
        ),
        needs=NeedCategory.objects.filter(code__in=["family", "housing", "work", "business"]),
    )
    for status in ("contacted", "needs_assessed"):
        case_transition(case=case, to_status=status, actor=coordinator)
    offer = offer_create_draft(case=case, actor=coordinator)
    for number, item in enumerate(offer.items.all()):
        offer_item_update(
            item=item,
            title=f"{item.need.name}: ko piedāvā Liepāja",
            text="\n\n".join([PARAGRAPH * 3] * (2 + number % 2)),
            contact="Liepājas pašvaldība, +371 63 404 750, remigracija@liepaja.lv",
        )
    return offer


def main():
    """Time single renders, a batch, and the memory they take."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batch", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=20, help="single renders to time")
    parser.add_argument("--sample", help="also write one PDF here")
    parser.add_argument("--json", help="write the figures here for bench/suite.py")
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    from offers.pdf import offer_pdf

    offer = build_offer()
    connection.queries_log.clear()
    started = time.perf_counter()
    first = offer_pdf(offer=offer)
    warm_up = time.perf_counter() - started
    pages = len(PdfReader(io.BytesIO(first)).pages)
    if args.sample:
        Path(args.sample).write_bytes(first)

    times = []
    for _ in range(args.repeat):
        started = time.perf_counter()
        offer_pdf(offer=offer)
        times.append(time.perf_counter() - started)

    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    for _ in range(args.batch):
        offer_pdf(offer=offer)
    batch = time.perf_counter() - started
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

    # tracemalloc slows rendering about ninefold, so it runs on a separate, shorter pass.
    traced = max(1, args.batch // 10)
    tracemalloc.start()
    for _ in range(traced):
        offer_pdf(offer=offer)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    bare = bare_render_times(offer, args.repeat)
    print(f"offer: {pages} pages, {len(first) / 1024:.0f} KiB PDF")
    print(f"first render (loads fonts): {warm_up * 1000:.0f} ms")
    print(
        f"per offer ({args.repeat} renders): median {statistics.median(times) * 1000:.0f} ms, "
        f"min {min(times) * 1000:.0f} ms, max {max(times) * 1000:.0f} ms"
    )
    print(
        f"bare WeasyPrint, the same HTML ({args.repeat} renders): median "
        f"{statistics.median(bare) * 1000:.0f} ms; portal / bare "
        f"{statistics.median(times) / statistics.median(bare):.2f}"
    )
    print(f"batch of {args.batch}: {batch:.2f} s, {batch / args.batch * 1000:.0f} ms per offer")
    print(f"peak Python memory over {traced} renders (tracemalloc): {peak / 1024 / 1024:.1f} MiB")
    print(
        f"process max RSS: {rss_before / 1024:.0f} MiB before the batch, "
        f"{rss_after / 1024:.0f} MiB after"
    )
    if args.json:
        figures = {
            "pages": pages,
            "portal_ms": [t * 1000 for t in times],
            "bare_ms": [t * 1000 for t in bare],
            "batch_ms_per_offer": batch / args.batch * 1000,
            "peak_python_mib": peak / 2**20,
            "max_rss_mib": rss_after / 1024,
        }
        Path(args.json).write_text(json.dumps(figures, indent=1))


def bare_render_times(offer, repeat):
    """The same offer's HTML rendered by WeasyPrint alone (default fetcher, no font
    stylesheet, no lock): the floor the portal's renderer is compared with."""
    from django.template.loader import render_to_string
    from django.utils import translation
    from weasyprint import HTML

    from common.pdf import static_base_url
    from offers.selectors import offer_document_context

    with translation.override(offer.language):
        html = render_to_string("pdf/offer.html", offer_document_context(offer=offer))
    HTML(string=html, base_url=static_base_url()).write_pdf()  # warm-up: fonts
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        HTML(string=html, base_url=static_base_url()).write_pdf()
        times.append(time.perf_counter() - started)
    return times


if __name__ == "__main__":
    main()
