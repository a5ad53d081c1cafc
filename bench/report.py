"""Time the annual follow-up report on seed_demo data and record it in docs/benchmarks.md.

    .venv/bin/python bench/report.py [--organisations 300 5000] [--database-url postgres://...]

For each size: a fresh database (SQLite in a temporary folder unless --database-url names an
empty PostgreSQL database), `migrate`, `load_lov`, `seed_demo`, then one process renders the
report for the current year (data, HTML, WeasyPrint PDF/UA) after the warm-up a Celery worker
does when it starts (`pdf_engine_warm_up`: importing WeasyPrint, hyphenation dictionaries,
fonts; timed and reported on its own), and reports the rendering time and the process's peak
resident memory (ru_maxrss, Django start-up included).
Targets: 300 organisations under 3 s, 5000 under 15 s, peak memory under 400 MB.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import resource
import sys
import tempfile
import time

from common import MACHINE, ROOT, manage, results_row_write, run

SECTION = "## Follow-up report"
INTRO = (
    "Command: `.venv/bin/python bench/report.py [--organisations 300 5000] "
    "[--database-url URL]` (fresh database with seed_demo data; times rendering one "
    "edition for the current year in a process that has started like a Celery worker: data, "
    "HTML and WeasyPrint PDF/UA; the worker's start-up warm-up of WeasyPrint is timed on "
    "its own; peak memory is the rendering process's maximum resident set, Django start-up "
    "included)."
)
COLUMNS = [
    "date",
    "organisations",
    "database",
    "pages",
    "time",
    "worker warm-up",
    "peak memory",
    "target",
    "machine",
]
TARGETS = {300: 3.0, 5000: 15.0}
MEMORY_TARGET_MB = 400


def measure(year: int) -> None:
    """Run inside the prepared environment: render one edition, print JSON."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lov_portal.settings")
    import logging

    import django

    django.setup()
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    from lov_portal.reports.services import (
        pdf_engine_warm_up,
        report_edition_create,
        report_edition_render,
    )

    # What a Celery worker does when it starts (reports/tasks.py), timed on its own.
    started = time.perf_counter()
    pdf_engine_warm_up()
    warm_up = time.perf_counter() - started
    edition = report_edition_create(year=year, user=None, enqueue=False)
    started = time.perf_counter()
    edition = report_edition_render(edition_id=edition.pk)
    seconds = time.perf_counter() - started
    from pypdf import PdfReader

    pages = len(PdfReader(edition.file.path).pages)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "warm_up": warm_up, "peak_mb": peak_mb, "pages": pages}))


def run_size(organisations: int, database_url: str, year: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as var_dir:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_", "REDIS_"))}
        env["DJANGO_VAR_DIR"] = var_dir
        if database_url:
            env["DATABASE_URL"] = database_url
        manage("migrate", "--noinput", "-v0", env=env)
        manage("load_lov", env=env)
        manage("seed_demo", "--organisations", str(organisations), env=env)
        output = run(__file__, "--measure", str(year), env=env)
    return json.loads(output.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--organisations", type=int, nargs="+", default=[300, 5000])
    parser.add_argument("--database-url", default="")
    parser.add_argument("--year", type=int, default=datetime.date.today().year)
    parser.add_argument("--measure", type=int, help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.measure:
        measure(options.measure)
        return
    backend = "PostgreSQL" if options.database_url else "SQLite"
    for organisations in options.organisations:
        result = run_size(organisations, options.database_url, options.year)
        target = TARGETS.get(organisations)
        time_ok = target is None or result["seconds"] < target
        memory_ok = result["peak_mb"] < MEMORY_TARGET_MB
        verdict = (
            ("meets" if time_ok else "MISSES")
            + (f" the {target:.0f} s target" if target else " (no target)")
            + (", memory " + ("meets" if memory_ok else "MISSES") + f" {MEMORY_TARGET_MB} MB")
        )
        row = (
            f"| {datetime.date.today().isoformat()} | {organisations} | {backend} "
            f"| {result['pages']} | {result['seconds']:.1f} s | {result['warm_up']:.1f} s "
            f"| {result['peak_mb']:.0f} MB "
            f"| {verdict} | {MACHINE} |"
        )
        results_row_write(SECTION, row, intro=INTRO, columns=COLUMNS)


if __name__ == "__main__":
    main()
