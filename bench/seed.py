"""The benchmarks' one seeder: a million cases in minutes, with PostgreSQL COPY.

bench/workspace.py (and so bench/suite.py's growth steps) and bench/reports.py fill their
databases through `seed()`. It writes what the history builders (coordinators.services.history,
offers.history, demo.builders) would write, row for row, but as COPY streams generated in
Python chunk by chunk instead of model instances through bulk_create:

- returnees (with their search and duplicate keys, `Returnee.keys_fill`), household members,
  cases with references from `reference_allocate` (numbered in order of creation within a
  prefix and year of a chunk), their needs, the "created" event and the status events, with
  the snapshot columns `case_event_snapshots_fill` sets (region, municipality, timeframe,
  country; household size on a return), interactions, municipality requests, offer versions
  (with the snapshots `Offer.snapshots_fill` sets) and sent offer e-mails;
- the returnees' and cases' ids are taken from their identity sequences in one block per
  chunk (setval), so the foreign keys are known before the rows are sent; the other tables
  take their ids from the column default;
- each chunk is one transaction; the foreign-key triggers are off during the load
  (session_replication_role = replica: the keys are valid by construction, and
  tests/test_bench_seed.py checks them), and a big load (one that at least doubles the
  tables) drops their non-unique indexes first and builds them again after. ANALYZE at the
  end; the callers VACUUM as they did.

Two profiles keep the distributions of the seedings they replace: "workspace" (regions in
turn, a sixth in the national queue, statuses uniform along the usual path, coordinators,
follow-ups, four calls, one municipality question and an offer or its e-mail per case, dates
over the last three years) and "reports" (every case in a municipality, nine random steps of
the pipeline from a date between March 2018 and this summer, households, offers from the
history). A progress line (cases/s, rows/s, ETA) goes to stderr.
"""

from __future__ import annotations

import os
import random
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

CHUNK = 20_000
FIRST_NAMES = ["Anna", "Jānis", "Līga", "Mārtiņš", "Ilze", "Edgars", "Inese", "Kristaps", "Dace"]
LAST_NAMES = ["Bērziņš", "Kalniņa", "Ozoliņš", "Liepa", "Krūmiņa", "Zariņš", "Eglīte", "Vītols"]
WORKSPACE_COUNTRIES = ["GB", "IE", "DE", "NO", "SE", "NL", "DK", "US", "FI", "BE"]
REPORTS_COUNTRIES = ["GB", "IE", "DE", "NO", "SE", "NL", "DK", "US", "ES", ""]
REPORTS_EVENTS_PER_CASE = 10  # "created" + 9 status changes
RIGA = ZoneInfo("Europe/Riga")

# The tables the seeder loads, in the order of their foreign keys, and the columns it writes.
COLUMNS = {
    "coordinators_returnee": (
        "id", "first_name", "last_name", "email", "phone", "country", "town",
        "preferred_language", "consent_version", "created_at", "updated_at", "search_text",
        "name_key", "email_key",
    ),
    "coordinators_householdmember": ("returnee_id", "relation", "birth_year"),
    "coordinators_case": (
        "id", "reference", "returnee_id", "planning_region_id", "municipality_id",
        "coordinator_id", "status", "closed_reason", "source", "timeframe", "next_follow_up",
        "needs_attention", "created_at", "status_changed_at", "updated_at",
    ),
    "coordinators_case_needs": ("case_id", "needcategory_id"),
    "coordinators_caseevent": (
        "case_id", "kind", "field", "from_value", "to_value", "closed_reason", "note",
        "actor_id", "created_at", "planning_region_id", "municipality_id", "household_size",
        "country", "timeframe",
    ),
    "coordinators_interaction": (
        "case_id", "kind", "occurred_on", "summary", "created_at", "author_id", "from_person",
    ),
    "coordinators_municipalityrequest": (
        "case_id", "municipality_id", "need_id", "question", "share_contact_details", "status",
        "answer", "answered_at", "created_at", "created_by_id", "withdrawn_note",
    ),
    "offers_offer": (
        "case_id", "version", "language", "status", "sent_at", "created_at", "created_by_id",
        "imported", "prepared_region_id", "prepared_municipality_id", "sent_region_id",
        "sent_municipality_id",
    ),
    "outbox_email": (
        "case_id", "to", "reply_to", "subject", "body", "html_body", "purpose", "status",
        "attempts", "last_error", "created_at", "next_attempt_at", "sent_at", "message_id",
        "prepare_task", "prepare_kwargs",
    ),
}  # fmt: skip


@dataclass(slots=True)
class CaseSpec:
    """One case to write and everything that hangs from it; ids and reference come later."""

    number: int
    first_name: str
    last_name: str
    email: str
    phone: str
    country: str
    town: str
    region: object  # PlanningRegion or None
    municipality_id: int | None
    coordinator_id: int | None
    source: str
    timeframe: str
    next_follow_up: date | None
    needs_attention: bool
    created: datetime
    steps: list[tuple[str, datetime, str, int | None]]  # status, when, closed reason, actor
    needs: list[int]
    household: int = 0
    interactions: list[datetime] = field(default_factory=list)
    request: tuple | None = None  # (municipality_id, need_id, asked, answer, answered_at)
    offers: list[tuple[int, datetime, datetime | None, int | None]] = field(default_factory=list)
    offer_email: datetime | None = None
    pk: int = 0
    returnee_pk: int = 0
    reference: str = ""


class Context:
    """The reference data and choices both profiles draw from, read once."""

    def __init__(self, staff):
        from coordinators.models import ALLOWED_TRANSITIONS, Case
        from municipalities.models import Municipality, NeedCategory, PlanningRegion

        self.now = datetime.now(UTC)
        self.today = date.today()
        self.regions = list(PlanningRegion.objects.order_by("pk"))
        self.municipalities_of = defaultdict(list)
        self.municipalities = list(Municipality.objects.order_by("pk"))
        for municipality in self.municipalities:
            self.municipalities_of[municipality.planning_region_id].append(municipality.pk)
        self.region_of = {region.pk: region for region in self.regions}
        self.needs = list(NeedCategory.objects.order_by("pk").values_list("pk", flat=True))
        self.statuses = list(Case.Status.values)
        self.sources = list(Case.Source.values)
        self.timeframes = list(Case.Timeframe.values)
        self.transitions = ALLOWED_TRANSITIONS
        self.staff = {key: user.pk for key, user in (staff or {}).items()}
        # The workspace seeding's regions: bench/workspace.py has always taken them in the
        # order PlanningRegion.objects gives (its Meta ordering).
        self.workspace_regions = list(PlanningRegion.objects.all())


def workspace_case(rng, number, context):
    """bench/workspace.py's case: region in turn (every sixth in the national queue), a
    uniform status reached along the usual path, a step a week."""
    from coordinators.services.history import pipeline_path

    region = context.workspace_regions[number % 6] if number % 6 < 5 else None
    status = rng.choice(context.statuses)
    municipality = rng.choice(context.municipalities_of[region.pk]) if region else None
    coordinator = (
        context.staff.get((region.code, number % 2)) if region and rng.random() < 0.7 else None
    )
    source = rng.choice(context.sources)
    timeframe = rng.choice(context.timeframes)
    follow_up = context.today + timedelta(days=rng.randint(-60, 60)) if rng.random() < 0.5 else None
    attention = rng.random() < 0.02
    created = context.now - timedelta(days=rng.randint(0, 1100))
    steps = [
        (
            step,
            min(created + timedelta(days=7 * (index + 1)), context.now),
            "other" if step == "closed" else "",
            coordinator,
        )
        for index, step in enumerate(pipeline_path(to_status=status))
    ]
    needs = rng.sample(context.needs, rng.randint(1, 3))
    answered = rng.random() >= 0.3
    request_municipality = municipality or context.municipalities_of[context.regions[0].pk][0]
    offer = rng.random() < 0.5
    return CaseSpec(
        number=number,
        first_name=rng.choice(FIRST_NAMES),
        last_name=f"{rng.choice(LAST_NAMES)}{number}",
        email=f"bench{number}@example.com",
        phone=f"+44770{number:07d}",
        country=rng.choice(WORKSPACE_COUNTRIES),
        town="London",
        region=region,
        municipality_id=municipality,
        coordinator_id=coordinator,
        source=source,
        timeframe=timeframe,
        next_follow_up=follow_up,
        needs_attention=attention,
        created=created,
        steps=steps,
        needs=needs,
        interactions=[created + timedelta(days=step * 9) for step in range(4)],
        request=(
            request_municipality,
            context.needs[0],
            created + timedelta(days=10),
            "Jā, no septembra." if answered else "",
            created + timedelta(days=14) if answered else None,
        ),
        offers=[(1, created + timedelta(days=29), created + timedelta(days=30), None)]
        if offer
        else [],
        offer_email=None if offer else created + timedelta(days=31),
    )


REPORTS_START = datetime(2018, 3, 1, tzinfo=RIGA)


def reports_case(rng, number, context):
    """bench/reports.py's case: in a municipality, created between March 2018 and this
    summer, nine random steps of the pipeline 1-15 days apart, a household of 0-3."""
    span = (context.now - timedelta(days=150) - REPORTS_START).total_seconds()
    municipality = rng.choice(context.municipalities)
    household = rng.choice((0, 0, 1, 2, 3))
    created = (REPORTS_START + timedelta(seconds=rng.random() * span)).astimezone(UTC)
    status, when, steps = "new", created, []
    for _step in range(REPORTS_EVENTS_PER_CASE - 1):
        target = rng.choice(context.transitions[status])
        when = when + timedelta(days=rng.randint(1, 15))
        steps.append((target, when, "no_response" if target == "closed" else "", None))
        status = target
    sent = [step for step in steps if step[0] == "offer_sent"]
    return CaseSpec(
        number=number,
        first_name="Bench",
        last_name=f"Person{number}",
        email="",
        phone="",
        country=rng.choice(REPORTS_COUNTRIES),
        town="",
        region=context.region_of[municipality.planning_region_id],
        municipality_id=municipality.pk,
        coordinator_id=None,
        source=rng.choice(context.sources),
        timeframe=rng.choice([*context.timeframes, ""]),
        next_follow_up=None,
        needs_attention=False,
        created=created,
        steps=steps,
        needs=rng.sample(context.needs, rng.choice((0, 1, 2, 2, 3))),
        household=household,
        offers=[
            (version, step[1] - timedelta(days=2), step[1], step[3])
            for version, step in enumerate(sent, start=1)
        ],
    )


PROFILES = {"workspace": workspace_case, "reports": reports_case}


class Progress:
    """A line on stderr: "seed: 120,000/1,000,000 cases, ... cases/s, ... rows/s, ETA 2:56"."""

    def __init__(self, total, stream=sys.stderr):
        self.total, self.stream, self.started, self.rows = total, stream, time.perf_counter(), 0

    def show(self, done, note=""):
        elapsed = time.perf_counter() - self.started
        rate = done / elapsed if elapsed else 0
        eta = (self.total - done) / rate if rate else 0
        self.stream.write(
            f"\rseed: {done:,}/{self.total:,} cases, {self.rows:,} rows, {rate:,.0f} cases/s, "
            f"{self.rows / elapsed if elapsed else 0:,.0f} rows/s, "
            f"ETA {int(eta) // 60}:{int(eta) % 60:02d} {note}"
        )
        self.stream.flush()


def seed(*, cases, profile="workspace", staff=None, offset=None, seed_value=None, indexes=None):
    """Add `cases` cases (and all that hangs from them) of `profile` to the database Django
    is connected to (PostgreSQL); numbers (names, e-mails) continue from `offset` (by default
    the cases already there). `indexes`: drop the non-unique indexes during the load (True),
    keep them (False), or decide by size (None: when the load at least doubles the cases
    and adds 50,000 or more). Returns {cases, rows, seconds, tables: {table: rows}}."""
    from django.db import connection

    from coordinators.models import Case

    database_check(connection.settings_dict["NAME"])
    existing = Case.objects.count()
    offset = existing if offset is None else offset
    if indexes is None:
        indexes = cases >= 50_000 and cases >= existing
    rng = random.Random(offset if seed_value is None else seed_value)  # noqa: S311 - test data
    context = Context(staff)
    make = PROFILES[profile]
    progress = Progress(cases)
    counts = dict.fromkeys(COLUMNS, 0)
    started = time.perf_counter()
    dropped = []  # filled as each index goes, so a failure midway builds those again
    try:
        if indexes:
            indexes_drop(dropped)
        for start in range(0, cases, CHUNK):
            size = min(CHUNK, cases - start)
            specs = [make(rng, offset + start + index, context) for index in range(size)]
            for table, count in chunk_write(specs, context).items():
                counts[table] += count
                progress.rows += count
            progress.show(start + size)
    finally:
        if dropped:
            progress.show(cases, "(building the indexes again)")
            indexes_create(dropped)
    progress.show(cases, "(ANALYZE)")
    with connection.cursor() as cursor:
        for table in COLUMNS:
            cursor.execute(f"ANALYZE {table}")
    seconds = time.perf_counter() - started
    progress.show(cases, f"done in {seconds:.0f} s\n")
    return {"cases": cases, "rows": sum(counts.values()), "seconds": seconds, "tables": counts}


def ids_take(cursor, table, count):
    """`count` consecutive ids from the table's identity sequence (moved past them)."""
    cursor.execute(
        "SELECT setval(pg_get_serial_sequence(%s, 'id'), "
        "nextval(pg_get_serial_sequence(%s, 'id')) + %s - 1)",
        [table, table, count],
    )
    last = cursor.fetchone()[0]
    return range(last - count + 1, last + 1)


def references_assign(specs):
    """Reference numbers as cases_bulk_create gives them: per prefix and year, in order of
    creation, from `reference_allocate` (coordinators.services.history)."""
    from coordinators.services.history import references_assign as assign

    assign(specs, created="created", region="region")


def chunk_write(specs, context):
    """Write one chunk in one transaction; {table: rows written}."""
    from django.db import connection, transaction

    from common.folding import email_local_key, fold, surname_stem

    counts = {}
    with transaction.atomic():
        raw = connection.connection
        with raw.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = replica")
            cursor.execute("SET LOCAL synchronous_commit = off")
            for spec, pk in zip(
                specs, ids_take(cursor, "coordinators_returnee", len(specs)), strict=True
            ):
                spec.returnee_pk = pk
            for spec, pk in zip(
                specs, ids_take(cursor, "coordinators_case", len(specs)), strict=True
            ):
                spec.pk = pk
        references_assign(specs)
        now = context.now

        def returnees():
            for s in specs:
                first, surname = fold(s.first_name), surname_stem(s.last_name)
                text = " ".join(fold(value) for value in (s.first_name, s.last_name, s.email))
                text = text.strip()
                yield (
                    s.returnee_pk, s.first_name, s.last_name, s.email, s.phone, s.country,
                    s.town, "lv", "", s.created, now, f" {text} " if text else "",
                    f"{first} {surname}" if first and surname else "",
                    email_local_key(s.email) if s.email else "",
                )  # fmt: skip

        def household():
            for s in specs:
                for _member in range(s.household):
                    yield (s.returnee_pk, "child", 2015)

        def cases():
            for s in specs:
                status, reason, changed = "new", "", s.created
                if s.steps:
                    status, changed, reason, _actor = s.steps[-1]
                # Last saved at its last step or contact, as on a live server (`now` for
                # every case would send every report of a past period to the history).
                updated = min(now, max([changed, *s.interactions]))
                yield (
                    s.pk, s.reference, s.returnee_pk, s.region.pk if s.region else None,
                    s.municipality_id, s.coordinator_id, status, reason, s.source, s.timeframe,
                    s.next_follow_up, s.needs_attention, s.created, changed, updated,
                )  # fmt: skip

        def needs():
            for s in specs:
                for need in s.needs:
                    yield (s.pk, need)

        def events():
            for s in specs:
                region = s.region.pk if s.region else None
                snapshot = (region, s.municipality_id)
                yield (
                    s.pk, "created", "", "", "new", "", "", None, s.created, *snapshot, None,
                    s.country, s.timeframe,
                )  # fmt: skip
                status = "new"
                for to_status, when, reason, actor in s.steps:
                    yield (
                        s.pk, "status_changed", "", status, to_status, reason, "", actor, when,
                        *snapshot, s.household if to_status == "returned" else None,
                        s.country, s.timeframe,
                    )  # fmt: skip
                    status = to_status

        def interactions():
            summary = "Saruna par atgriešanos, bērnudārzu un darbu."
            for s in specs:
                for when in s.interactions:
                    yield (s.pk, "phone", when.astimezone(RIGA).date(), summary, when, None, False)

        def requests():
            for s in specs:
                if s.request:
                    municipality, need, asked, answer, answered_at = s.request
                    yield (
                        s.pk, municipality, need, "Vai ir vieta bērnudārzā?", False,
                        "answered" if answered_at else "open", answer, answered_at, asked, None,
                        "",
                    )  # fmt: skip

        def offers():
            for s in specs:
                region = s.region.pk if s.region else None
                for version, created_at, sent_at, actor in s.offers:
                    sent = (region, s.municipality_id) if sent_at else (None, None)
                    yield (
                        s.pk, version, "lv", "sent" if sent_at else "draft", sent_at, created_at,
                        actor, False, region, s.municipality_id, *sent,
                    )  # fmt: skip

        def emails():
            for s in specs:
                if s.offer_email:
                    yield (
                        s.pk, f"bench{s.pk}@example.com", "", "Jūsu piedāvājums", "-", "",
                        "offer", "sent", 1, "", s.offer_email, s.offer_email, s.offer_email, "",
                        "", "{}",
                    )  # fmt: skip

        rows = {
            "coordinators_returnee": returnees(),
            "coordinators_householdmember": household(),
            "coordinators_case": cases(),
            "coordinators_case_needs": needs(),
            "coordinators_caseevent": events(),
            "coordinators_interaction": interactions(),
            "coordinators_municipalityrequest": requests(),
            "offers_offer": offers(),
            "outbox_email": emails(),
        }
        with raw.cursor() as cursor:
            for table, generated in rows.items():
                columns = ", ".join(f'"{column}"' for column in COLUMNS[table])
                count = 0
                with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    for row in generated:
                        copy.write_row(row)
                        count += 1
                counts[table] = count
            # Back on for the rest of the transaction when the chunk is part of a larger one
            # (a test): SET LOCAL would last until its end.
            cursor.execute("SET LOCAL session_replication_role = DEFAULT")
    return counts


def indexes_drop(dropped):
    """Drop the loaded tables' indexes that are neither unique nor a primary key, adding
    each (name, definition) to `dropped` as it goes, to build them again."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) "
            "FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid "
            "WHERE t.relname = ANY(%s) AND NOT i.indisunique AND NOT i.indisprimary",
            [list(COLUMNS)],
        )
        for name, definition in cursor.fetchall():
            cursor.execute(f"DROP INDEX {name}")
            dropped.append((name, definition))
    return dropped


def database_check(name):
    """Refuse any database but a benchmark's or a test's: the seeder drops indexes and
    turns foreign-key checks off while it loads (BENCH_SEED_OK=1 to insist)."""
    if "bench" in name or name.startswith("test") or os.environ.get("BENCH_SEED_OK") == "1":
        return
    raise SystemExit(
        f"bench/seed.py seeds only a benchmark's or a test's database, not {name!r} "
        "(its name must contain 'bench' or start with 'test'; BENCH_SEED_OK=1 to insist)"
    )


def indexes_create(dropped):
    """Build the dropped indexes again (with more memory for the sort than the default)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem = '512MB'")
        for _name, definition in dropped:
            cursor.execute(definition)
        cursor.execute("RESET maintenance_work_mem")
