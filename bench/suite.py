"""Every benchmark in one go (`make bench`), each against a PostgreSQL database of its own
(dropped and created), and docs/benchmarks.md written from the figures.

    .venv/bin/python bench/suite.py                 # full: ~30 min on 2 cores
    BENCH_QUICK=1 .venv/bin/python bench/suite.py   # smoke run: a few minutes
    BENCH_MILLION=1 ...                             # growth also at 1,000,000 cases
    BENCH_BASELINE=/path/to/checkout ...            # the form of that code side by side too
    BENCH_DATABASE_PREFIX=mine_ BENCH_POSTGRES=postgres://postgres@127.0.0.1:5432 ...

The headline is the ratios (portal to its peer django-helpdesk and to bare Django, measured
in the same run, interleaved); absolute times come second: on a busy machine they are low
and noisy, the ratios much less so. The machine and its load average are written with them.
"""

import datetime
import json
import os
import platform
import signal
import subprocess  # noqa: S404 - our own scripts, fixed arguments
import sys
import tempfile
import time
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
QUICK = os.environ.get("BENCH_QUICK", "") not in ("", "0")
MILLION = os.environ.get("BENCH_MILLION", "") not in ("", "0")
SERVER = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
PREFIX = os.environ.get("BENCH_DATABASE_PREFIX", "bench_")
BASELINE = os.environ.get("BENCH_BASELINE", "")
OUTPUT = Path(os.environ.get("BENCH_OUTPUT", ROOT / "docs" / "benchmarks.md"))

if QUICK:
    CONTACT = ["--rounds", "2", "--submissions", "100"]
    GROWTH = [2_000, 10_000]
    REPORTS, OFFERS, IMPORT_ROWS = ["--cases", "5000", "--repeat", "1"], ["--batch", "10"], 2000
    REPEAT = "5"
else:
    CONTACT = ["--rounds", "4", "--submissions", "250", "--smtp-delay", "5"]
    GROWTH = [10_000, 100_000, *([1_000_000] if MILLION else [])]
    REPORTS, OFFERS, IMPORT_ROWS = ["--cases", "100000"], ["--batch", "50"], 10_000
    REPEAT = "20"


def database_url(name):
    return f"{SERVER}/{PREFIX}{name}"


def database_drop(name):
    """Drop the suite's own database `name` (and its peer's twin), never any other."""
    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as connection:
        for database in (f"{PREFIX}{name}", f"{PREFIX}{name}_peer", f"{PREFIX}{name}_before"):
            connection.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


def database_create(name):
    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{PREFIX}{name}"')


def machine():
    """Cores, memory, load average, versions: what the figures were taken on."""
    memory = next(
        int(line.split()[1]) // 1024
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal")
    )
    with psycopg.connect(f"{SERVER}/postgres") as connection:
        postgres = connection.execute("SHOW server_version").fetchone()[0]
    commit = subprocess.run(  # noqa: S603
        ["git", "rev-parse", "--short", "HEAD"],  # noqa: S607 - git on PATH, fixed arguments
        cwd=ROOT, capture_output=True, text=True, check=False,
    ).stdout.strip()  # fmt: skip
    return {
        "date": datetime.datetime.now(datetime.UTC).strftime("%d.%m.%Y %H:%M UTC"),
        "cores": os.cpu_count(),
        "memory_mib": memory,
        "load": os.getloadavg(),
        "python": platform.python_version(),
        "postgres": postgres,
        "commit": commit,
        "mode": "quick" if QUICK else "full",
    }


def run(name, script, arguments, environment):
    """One script with --json; its figures, or None (and the reason printed) if it failed."""
    output = Path(tempfile.mkstemp(suffix=f"-{name}.json")[1])
    load = os.getloadavg()[0]
    print(f"\n== {name}: bench/{script} {' '.join(arguments)} (load {load:.1f})", flush=True)
    started = time.perf_counter()
    process = subprocess.Popen(  # noqa: S603
        [sys.executable, f"bench/{script}", *arguments, "--json", str(output)],
        cwd=ROOT, env=os.environ | environment,
    )  # fmt: skip
    RUNNING[:] = [process]
    returncode = process.wait()
    RUNNING.clear()
    seconds = time.perf_counter() - started
    print(f"== {name}: {seconds:.0f} s, exit {returncode}", flush=True)
    if returncode or not output.stat().st_size:
        return None
    figures = json.loads(output.read_text())
    figures["_seconds"], figures["_load"] = seconds, load
    return figures


def steps(written):
    """Run every benchmark; {name: figures}. `written(figures)` after each step, so a run
    stopped midway still leaves the figures it has in the document."""
    figures = {}
    database_drop("contact")
    # BENCH_BASELINE=checkout: the portal of that checkout too (the code before a change).
    baseline = ["--baseline", BASELINE] if BASELINE else []
    figures["contact"] = run(
        "contact form", "contact_form.py", [*CONTACT, "--peer", "--bare", *baseline],
        {"DATABASE_URL": database_url("contact")},
    )  # fmt: skip
    written(figures)
    database_drop("workspace")
    figures["growth"] = []
    for cases in GROWTH:
        result = run(
            f"workspace at {cases:,} cases", "workspace.py",
            # Five requests a page at a million cases: pages that take seconds there
            # would make the step last most of an hour at twenty.
            ["--cases", str(cases), "--repeat", REPEAT if cases < 1_000_000 else "5"],
            {"BENCH_DATABASE_URL": database_url("workspace")},
        )  # fmt: skip
        if result:
            figures["growth"].append(result)
        written(figures)
    database_drop("reports")
    database_create("reports")
    figures["reports"] = run(
        "reports", "reports.py", REPORTS, {"BENCH_DATABASE_URL": database_url("reports")}
    )
    written(figures)
    figures["offers"] = run("offer PDF", "offers.py", OFFERS, {})
    figures["imports"] = run(
        "imports", "imports.py", ["--rows", str(IMPORT_ROWS)],
        {"BENCH_DATABASE_URL": database_url("imports")},
    )  # fmt: skip
    return figures


RUNNING = []  # the step in hand


def stop(*_args):
    """SIGTERM: pass it to the step in hand (which then stops its own servers), then end.
    No wait here: the interrupted Popen.wait holds the lock a second wait would need."""
    for process in RUNNING:
        process.terminate()
    sys.exit(143)


def main():
    signal.signal(signal.SIGTERM, stop)
    started = machine()
    print(f"Benchmarks ({started['mode']}), load average {started['load']}", flush=True)
    from suite_report import document

    def written(figures):
        OUTPUT.write_text(document(started, figures, quick=QUICK, million=MILLION))

    figures = steps(written)
    written(figures)
    print(f"\nWritten: {OUTPUT.relative_to(ROOT) if OUTPUT.is_relative_to(ROOT) else OUTPUT}")
    failed = [name for name, value in figures.items() if not value]
    if failed:
        raise SystemExit(f"failed: {', '.join(failed)}")


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    main()
