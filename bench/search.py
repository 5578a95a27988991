"""Benchmark of the case list's search on PostgreSQL: names however typed, phones, references.

Fills its own database with N people and one case each (Latvian names with diacritics,
Russian names in Cyrillic, Latvian and British phones; bulk_create in batches), then posts
each search as the browser does and times the list page in-process through Django's test
Client (templates and middleware included, DEBUG off): p50/p95 and the number of SQL
queries, for a regional coordinator and a national administrator (who sees every case).

    python bench/search.py                       # 100,000 cases
    python bench/search.py --cases 5000 --repeat 5
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/other python bench/search.py

The data is created once and reused while the database holds at least --cases cases.
"""

import argparse
import importlib.util
import os
import random
import statistics
import time
from datetime import timedelta
from pathlib import Path

# bench/workspace.py's setup and timing, loaded by path (its name is also an app's).
_spec = importlib.util.spec_from_file_location(
    "bench_workspace", Path(__file__).resolve().parent / "workspace.py"
)
assert _spec and _spec.loader  # noqa: S101
bench_workspace = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench_workspace)  # it puts the project on sys.path
database_create, django_setup = bench_workspace.database_create, bench_workspace.django_setup
measure, staff_create = bench_workspace.measure, bench_workspace.staff_create

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/wt_search_bench"
BATCH = 5000
MEN = [
    "Jānis",
    "Andris",
    "Ģirts",
    "Mārtiņš",
    "Edgars",
    "Kristaps",
    "Pēteris",
    "Aivars",
    "Uldis",
    "Artūrs",
    "Roberts",
    "Dāvis",
    "Sergejs",
    "Сергей",
    "Алексей",
    "Oļegs",
]
WOMEN = [
    "Līga",
    "Ilze",
    "Anna",
    "Dace",
    "Inese",
    "Kristīne",
    "Žanna",
    "Marija",
    "Laura",
    "Santa",
    "Evija",
    "Agnese",
    "Jeļena",
    "Ольга",
    "Наталья",
    "Ieva",
]
# The common surnames (masculine, feminine), most common first; 12 % of the people carry
# one, the most common about 1 % (as Bērziņš in Latvia). The rest have rarer made-up ones.
COMMON = [
    ("Bērziņš", "Bērziņa"), ("Kalniņš", "Kalniņa"), ("Ozoliņš", "Ozoliņa"), ("Jansons", "Jansone"),
    ("Ozols", "Ozola"), ("Liepiņš", "Liepiņa"), ("Krūmiņš", "Krūmiņa"), ("Balodis", "Balode"),
    ("Zariņš", "Zariņa"), ("Kļaviņš", "Kļaviņa"), ("Pētersons", "Pētersone"), ("Vītols", "Vītola"),
    ("Ķēniņš", "Ķēniņa"), ("Eglītis", "Eglīte"), ("Lācis", "Lāce"), ("Mednis", "Medne"),
    ("Siliņš", "Siliņa"), ("Grīnbergs", "Grīnberga"), ("Šmits", "Šmite"), ("Иванов", "Иванова"),
    ("Петров", "Петрова"), ("Смирнов", "Смирнова"), ("Kuzņecovs", "Kuzņecova"),
    ("Vasiļjevs", "Vasiļjeva"), ("Žuriņš", "Žuriņa"), ("Dzenis", "Dzene"), ("Celms", "Celma"),
    ("Rozītis", "Rozīte"), ("Strazdiņš", "Strazdiņa"), ("Vanags", "Vanaga"),
]  # fmt: skip
COMMON_WEIGHTS = [1 / (rank + 1) ** 0.5 for rank in range(len(COMMON))]
SYLLABLES = (
    ["Ap", "Bir", "Dau", "Gai", "Jur", "Kal", "Lei", "Mež", "Pur", "Rud", "Sau", "Til", "Vec"],
    ["a", "e", "i", "u", "ē", "ī", "ā", "o", "ū", "ai"],
    [("liņš", "liņa"), ("ups", "upe"), ("nieks", "niece"), ("kalns", "kalne"), ("lejs", "leja"),
     ("avs", "ava"), ("rgs", "rga"), ("nis", "ne")],
)  # fmt: skip


def person_name(rng):
    """A first name and a surname of the right gender."""
    woman = rng.random() < 0.5
    first = rng.choice(WOMEN if woman else MEN)
    if rng.random() < 0.12:
        pair = rng.choices(COMMON, weights=COMMON_WEIGHTS)[0]
    else:
        start, middle, (masculine, feminine) = (rng.choice(part) for part in SYLLABLES)
        pair = (start + middle + masculine, start + middle + feminine)
    return first, pair[1 if woman else 0]


SCENARIOS = [
    ("no search (the list's first page)", ""),
    ("surname without diacritics", "Kenins"),
    ("first name and surname", "girts kenins"),
    ("Cyrillic surname typed in Latin", "ivanov"),
    ("Cyrillic surname, lower case", "иванова"),
    ("beginning of the commonest surname", "berz"),
]


def sample_scenarios(coordinator):
    """Searches for one person of the coordinator's region: a rare surname, the address,
    the phone three ways, the reference."""
    import phonenumbers

    from coordinators.models import Case

    cases = (
        Case.objects.visible_to(coordinator)
        .filter(planning_region__isnull=False)
        .select_related("returnee")
        .order_by("pk")
    )
    # The thousandth of the region's cases, or its last in a small database (the region
    # holds a sixth of the cases, so the thousandth failed below ~6,000).
    case = cases[min(1000, cases.count() - 1)]
    person = case.returnee
    number = phonenumbers.parse(person.phone)
    written = {
        style: phonenumbers.format_number(number, getattr(phonenumbers.PhoneNumberFormat, style))
        for style in ("INTERNATIONAL", "NATIONAL")
    }
    return [
        ("first name and rare surname", f"{person.first_name} {person.last_name}"),
        ("e-mail address", person.email),
        ("phone, international", written["INTERNATIONAL"]),
        ("phone, 00 prefix", "00" + person.phone[1:]),
        ("phone, national", written["NATIONAL"]),
        ("reference", case.reference),
        ("reference number alone", "00007"),
    ]


def data_fill(target):
    """Bulk-create people with one case each up to `target`."""
    from django.db import transaction
    from django.utils import timezone

    from coordinators.models import Case, Returnee
    from demo.builders import cases_bulk_create
    from municipalities.models import PlanningRegion

    existing = Case.objects.count()
    if existing >= target:
        print(f"data: {existing:,} cases already there")
        return
    rng = random.Random(existing)  # noqa: S311 - test data, not secrets
    regions = list(PlanningRegion.objects.prefetch_related("municipalities"))
    start_at = timezone.now() - timedelta(days=3 * 365)
    for start in range(existing, target, BATCH):
        size = min(BATCH, target - start)
        with transaction.atomic():
            people = []
            for number in range(start, start + size):
                first_name, last_name = person_name(rng)
                people.append(
                    Returnee(
                        first_name=first_name,
                        last_name=last_name,
                        email=f"search{number}@example.com",
                        phone=f"+3712{number:07d}" if number % 12 < 6 else f"+44770{number:07d}",
                        country="GB",
                    ).keys_fill()  # bulk_create skips save(), which fills the search keys
                )
            Returnee.objects.bulk_create(people)
            cases = []
            for number, person in zip(range(start, start + size), people, strict=True):
                region = regions[number % 6] if number % 6 < 5 else None
                cases.append(
                    Case(
                        returnee=person,
                        planning_region=region,
                        municipality=region.municipalities.all()[0] if region else None,
                        created_at=start_at + timedelta(minutes=number * 9),
                    )
                )
            cases_bulk_create(cases=cases, batch_size=BATCH)
        print(f"data: {start + size:,} cases", flush=True)


def main():
    """Fill the database if needed, then time each search for two users."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    database_create(url)
    django_setup(url)

    from django.db import connection
    from django.test import Client

    from coordinators.models import Case
    from workspace.selectors import case_list

    staff, admin = staff_create()
    data_fill(args.cases)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE coordinators_returnee")
        cursor.execute("ANALYZE coordinators_case")
    print(f"database: {Case.objects.count():,} cases")
    coordinator = staff[("KUR", 0)]
    scenarios = SCENARIOS + sample_scenarios(coordinator)
    print(
        f"{'search':<36} {'user':<12} {'rows':>6} {'page p50':>9} {'page p95':>9} "
        f"{'SQL p50':>8} {'SQL p95':>8} {'queries':>8}"
    )
    for user, label in ((coordinator, "coordinator"), (admin, "national")):
        client = Client()
        client.force_login(user)
        for name, text in scenarios:
            # Search text goes by POST into the session (never into a URL).
            client.post("/cases/search/", {"q": text}, secure=True)
            rows = case_list(user=user, filters={"q": text}).count()
            p50, p95, queries = measure(client, "/cases/?search=on", args.repeat)
            sql50, sql95 = search_sql_timing(user, text, args.repeat)
            print(
                f"{name:<36} {label:<12} {rows:>6} {p50:>9.1f} {p95:>9.1f} "
                f"{sql50:>8.1f} {sql95:>8.1f} {queries:>8}"
            )


def search_sql_timing(user, text, repeat):
    """The search's own queries (the count and the first page's ids), without the page:
    p50 and p95 in ms."""
    from workspace.selectors import case_list

    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        ids = case_list(user=user, filters={"q": text}).values_list("pk", flat=True)
        ids.count()
        list(ids[:50])
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    return statistics.median(timings), timings[min(len(timings) - 1, round(0.95 * (repeat - 1)))]


if __name__ == "__main__":
    main()
