"""docs/benchmarks.md from the figures bench/suite.py collected: ratios first, absolute times
second, every figure with its spread, the machine and its load written beside them."""

import itertools
import math
import statistics

FORM_GOAL_RATE, FORM_GOAL_P95, FORM_GOAL_GET = 150, 100, 10
PAGE_GOAL_P95, PAGE_GOAL_QUERIES = 100, 15
GROWTH_ROWS = [
    "coordinator: list, first page",
    "coordinator: list, search surname",
    "national admin: list, first page",
    "national admin: report page, last year",
]


def spread(values, digits=0):
    """ "median [min–max]" of `values`."""
    values = list(values)
    median = statistics.median(values)
    return f"{median:.{digits}f} [{min(values):.{digits}f}–{max(values):.{digits}f}]"


def median_of(rounds, key):
    return statistics.median(figures[key] for figures in rounds)


def mark(ok):
    return "yes" if ok else "**no**"


def contact_section(figures):
    if not figures:
        return ["## The public form", "", "The contact-form benchmark failed: see its output.", ""]
    results, settings = figures["results"], figures["settings"]
    portal = results["portal"]
    peer = results.get("django-helpdesk 2.6.1")
    bare = results.get("bare Django")
    lines = ["## The public form (`bench/contact_form.py`)", ""]
    rate = median_of(portal, "rate")
    if peer:
        lines.append(
            f"**Portal / django-helpdesk: {rate / median_of(peer, 'rate'):.2f}× the "
            f"submissions per second** (goal: 3×), POST p95 "
            f"{median_of(portal, 'post_p95') / median_of(peer, 'post_p95'):.2f}× the peer's."
        )
    before = next((rounds for name, rounds in results.items() if "before" in name), None)
    if before:
        lines.append(
            f"**Portal / the portal before: {rate / median_of(before, 'rate'):.2f}× the "
            f"submissions per second**, GET alone {median_of(before, 'get_alone'):.1f} → "
            f"{median_of(portal, 'get_alone'):.1f} ms."
        )
    for note in figures.get("notes", []):
        lines.append(f"**{note}**")
    if bare:
        lines.append(
            f"**Portal / bare Django: {rate / median_of(bare, 'rate'):.0%} of the ceiling's "
            "submissions per second** (goal: a quarter)."
        )
    lines += [
        "",
        f"{settings['rounds']} interleaved rounds of {settings['submissions']} submissions, "
        f"{settings['clients']} concurrent clients, gunicorn {settings['workers']} sync workers, "
        "DEBUG off, PostgreSQL, the same client for all; median [min–max] over the rounds. "
        "GET alone: the form page fetched by one client, sequentially (≈ server time on "
        "loopback).",
        "",
        "| setup | submissions/s | POST p50 ms | POST p95 ms | GET alone ms |",
        "|---|---|---|---|---|",
    ]
    for name, rounds in results.items():
        lines.append(
            f"| {name} | {spread((r['rate'] for r in rounds), 1)} | "
            f"{spread(r['post_p50'] for r in rounds)} | {spread(r['post_p95'] for r in rounds)} "
            f"| {spread((r['get_alone'] for r in rounds), 1)} |"
        )
    slow = figures.get("extra", {}).get("slow_mail")
    if slow:
        lines += [
            "",
            f"One more portal round while the mail server takes {slow['delay']:g} s a message: "
            f"{slow['rate']:.1f} submissions/s, POST p95 {slow['post_p95']:.0f} ms (the web "
            "requests never wait on mail: the worker sends it).",
        ]
    get = median_of(portal, "get_alone")
    lines += [
        "",
        "| goal (quiet machine) | measured here | met here |",
        "|---|---|---|",
        f"| ≥ {FORM_GOAL_RATE} submissions/s | {rate:.1f} | {mark(rate >= FORM_GOAL_RATE)} |",
        f"| POST p95 < {FORM_GOAL_P95} ms | {median_of(portal, 'post_p95'):.0f} ms | "
        f"{mark(median_of(portal, 'post_p95') < FORM_GOAL_P95)} |",
        f"| GET < {FORM_GOAL_GET} ms | {get:.1f} ms | {mark(get < FORM_GOAL_GET)} |",
        "",
        "Every submission became a case with its mails (checked in the database after the run): "
        f"{'yes' if figures.get('ok') else '**no**'}.",
        "",
    ]
    return lines


# The size the staff pages' goal is set at (issue 16: p95 < 100 ms at 100,000 cases).
GOAL_CASES = 100_000


def pages_section(growth):
    """The staff pages at the goal's size (or the largest step below it), and at every
    larger step (the million-case growth step) in a table of its own."""
    if not growth:
        return ["## Staff pages", "", "Not measured: the workspace step failed or did not run.", ""]
    at_goal = [step for step in growth if step["cases"] <= GOAL_CASES] or growth[:1]
    lines = []
    for step in [at_goal[-1], *(step for step in growth if step["cases"] > GOAL_CASES)]:
        goal = "the goal's size" if step["cases"] == GOAL_CASES else "growth step"
        lines += [
            f"## Staff pages at {step['cases']:,} cases (`bench/workspace.py`, {goal})",
            "",
            f"{step['entries']:,} timeline entries; in-process through Django's test client "
            "(middleware and templates included, DEBUG off), sequential requests after a "
            f"warm-up, {step.get('repeat', 'several')} requests a page.",
            "",
            "| page | p50 ms | p95 ms | queries | p95 < 100 ms | queries ≤ 15 |",
            "|---|---|---|---|---|---|",
        ]
        for row in step["rows"]:
            lines.append(
                f"| {row['name']} | {row['p50']:.0f} | {row['p95']:.0f} | {row['queries']} | "
                f"{mark(row['p95'] < PAGE_GOAL_P95)} | "
                f"{mark(row['queries'] <= PAGE_GOAL_QUERIES)} |"
            )
        lines.append("")
    return lines


def slope_per_decade(size_a, value_a, size_b, value_b):
    """How many times slower for ten times the cases, from two points."""
    return (value_b / value_a) ** (1 / math.log10(size_b / size_a))


def growth_section(growth, million):
    if not growth or len(growth) < 2:
        return []
    sizes = [run["cases"] for run in growth]
    steps = list(itertools.pairwise(sizes))
    lines = [
        "## Growth: list, search and report as the cases grow",
        "",
        "The same database grown step by step (each step adds cases to the last one); p50 ms. "
        "The slope is how many times slower a page gets for ten times the cases "
        "(1.0: flat; 10: linear).",
        "",
        "| page | "
        + " | ".join(f"{size:,}" for size in sizes)
        + " | slope per ×10 |"
        + ("".join(f" {a:,} → {b:,} |" for a, b in steps) if len(sizes) > 2 else ""),
        "|---|" + "---|" * (len(sizes) + 1 + (len(steps) if len(sizes) > 2 else 0)),
    ]
    for name in GROWTH_ROWS:
        values = [
            next((row["p50"] for row in run["rows"] if row["name"] == name), None) for run in growth
        ]
        if None in values:
            continue
        row = f"| {name} | " + " | ".join(f"{v:.0f}" for v in values)
        row += f" | {slope_per_decade(sizes[0], values[0], sizes[-1], values[-1]):.2f}× |"
        if len(sizes) > 2:  # and the slope of each step: where a page starts to bend
            row += "".join(
                f" {slope_per_decade(a, values[i], b, values[i + 1]):.2f}× |"
                for i, (a, b) in enumerate(steps)
            )
        lines.append(row)
    lines.append("")
    seeded = [run["seed"] for run in growth if run.get("seed", {}).get("seconds")]
    if seeded:
        lines.append(
            "Seeding (`bench/seed.py`: PostgreSQL COPY, ~14 rows a case of which ~10 timeline "
            "entries; indexes built again after a load that doubles the tables): "
            + "; ".join(
                f"{s['cases']:,} cases and {s['entries']:,} rows in {s['seconds']:.0f} s "
                f"({s['cases'] / s['seconds']:,.0f} cases/s)"
                for s in seeded
            )
            + "."
        )
    if not million and seeded:
        rate = seeded[-1]["cases"] / seeded[-1]["seconds"]
        lines.append(
            "The 1,000,000-case step is behind `BENCH_MILLION=1`: seeding its 900,000 more "
            f"cases would take ~{900_000 / rate / 60:.0f} min at the last rate above."
        )
    return [*lines, ""]


def others_section(figures):
    lines = ["## Offer PDF, imports, reports", ""]
    offers = figures.get("offers")
    if offers:
        portal, bare = statistics.median(offers["portal_ms"]), statistics.median(offers["bare_ms"])
        lines += [
            f"**Offer PDF: {portal / bare:.2f}× a bare WeasyPrint render of the same HTML** "
            f"(goal ≤ 1.5×): portal {spread(offers['portal_ms'])} ms, bare "
            f"{spread(offers['bare_ms'])} ms, {offers['pages']} pages; "
            f"{offers['batch_ms_per_offer']:.0f} ms an offer in a batch, process peak "
            f"{offers['max_rss_mib']:.0f} MiB.",
            "",
        ]
    imports = figures.get("imports")
    if imports:
        check, write = imports["check (dry run)"], imports["import (check again + write)"]
        lines += [
            f"**Import of {imports['rows']:,} rows ({imports['format']}) in the worker: "
            f"{check['seconds']:.1f} s to check, {write['seconds']:.1f} s to import** "
            f"(goal: < 60 s); process peak {write['peak_rss_mb']:.0f} MB.",
            "",
        ]
    reports = figures.get("reports")
    if reports:
        lines += [
            f"Reports at {reports['cases']:,} cases (`bench/reports.py`, best of the runs):",
            "",
            "| measurement | s | size | Python peak MiB |",
            "|---|---|---|---|",
            *(
                f"| {r['name']} | {r['seconds']:.3f} | {r['size']:,} | {r['peak_mib']:.1f} |"
                for r in reports["rows"]
            ),
            "",
            *explain_lines(reports.get("explain")),
        ]
    return lines


def explain_lines(explain):
    """Where the national page since 2018 spends its time, and the plan of its slowest
    query (bench/reports.py: EXPLAIN (ANALYZE, BUFFERS), measured in the same run)."""
    if not explain:
        return []
    times = explain["query_seconds"]
    return [
        "### The heaviest report query: EXPLAIN ANALYZE, national page since 2018",
        "",
        f"The page took {explain['page_seconds']:.3f} s with {len(times)} queries and "
        f"{explain['sql_seconds']:.3f} s of SQL; the slowest five: "
        + ", ".join(f"{t:.3f}" for t in times[:5])
        + " s. The slowest query and its plan:",
        "",
        "```sql",
        explain["heaviest_sql"],
        "```",
        "",
        "```",
        *explain["plan"],
        "```",
        "",
    ]


def document(machine, figures, *, quick, million):
    """The whole of docs/benchmarks.md."""
    load = ", ".join(f"{value:.2f}" for value in machine["load"])
    lines = [
        "# Benchmarks",
        "",
        "Generated by `make bench` (bench/suite.py); do not edit by hand. "
        + ("**A quick smoke run (`BENCH_QUICK=1`): small sizes, few rounds.** " if quick else "")
        + "Scripts in `bench/` print figures; none is a timed test. Measurements taken by hand "
        "beside it (the history import in detail, EXPLAIN ANALYZE of the reports): "
        "[benchmarks-notes.md](benchmarks-notes.md).",
        "",
        f"Measured {machine['date']} at commit {machine['commit']} on {machine['cores']} cores, "
        f"{machine['memory_mib']:,} MiB memory, load average {load} at the start (1, 5, 15 min); "
        f"Python {machine['python']}, PostgreSQL {machine['postgres']}. On a busy machine the "
        "absolute figures are low and noisy; the ratios, measured side by side in the same "
        "run, much less so.",
        "",
    ]
    lines += contact_section(figures.get("contact"))
    lines += pages_section(figures.get("growth"))
    lines += growth_section(figures.get("growth"), million)
    lines += others_section(figures)
    lines += [
        "## Steps of this run",
        "",
        "| step | seconds | load average at its start |",
        "|---|---|---|",
    ]
    for name, value in figures.items():
        for step in value if isinstance(value, list) else [value]:
            if step:
                label = f"{name} at {step['cases']:,} cases" if name == "growth" else name
                lines.append(f"| {label} | {step['_seconds']:.0f} | {step['_load']:.1f} |")
    lines += ["", HOW_TO_READ]
    return "\n".join(lines)


HOW_TO_READ = """## What each script does

- `bench/contact_form.py`: the portal (gunicorn + `manage.py worker`), django-helpdesk 2.6.1's
  public ticket form (`bench/peer_helpdesk.py`: its own venv `.bench-venv/helpdesk`, its own
  minimal project and database, its mail sent inside the request as it does, to the same
  loopback SMTP sink) and bare Django (`bench/bare_site.py`: one CSRF check, one INSERT), all
  under gunicorn with DEBUG off and measured by one client (`bench/load.py`: GET the form, POST
  it, expect the 302) in interleaved rounds; the worker's backlog is drained between rounds.
- `bench/workspace.py`: case list variants, case pages (one with 2,000 events), dashboards and
  the report page, with the SQL query count of each.
- `bench/reports.py`: the report page and its exports at 100,000 cases / 1,000,000 events.
- `bench/offers.py`: an offer's PDF through the portal's restricted renderer, and the same HTML
  through WeasyPrint alone.
- `bench/imports.py`: a 10,000-row history file checked and imported as the worker does.

Run one alone with the command in its docstring; `make bench` (or `BENCH_QUICK=1 make bench`
for a smoke run of a few minutes) runs them all and writes this file. The end-to-end test
(`tests/test_end_to_end.py`, in CI on PostgreSQL) checks the same setup for correctness: 200
submissions against a mail server that never answers, every POST answered, every mail sent
exactly once when it comes back.
"""
