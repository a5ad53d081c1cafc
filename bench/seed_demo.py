"""Time `seed_demo --organisations N` on a fresh database and record it in docs/benchmarks.md.

    .venv/bin/python bench/seed_demo.py [--organisations 5000] [--database-url postgres://...]

Without --database-url it uses a fresh SQLite file in a temporary folder. The target is under
60 s for 5000 organisations on the 2-core development machines.
"""

from __future__ import annotations

import argparse
import datetime
import os
import subprocess
import sys
import tempfile
import time

from common import MACHINE, ROOT, results_row_write

SECTION = "## seed_demo"
INTRO = (
    "Command: `.venv/bin/python bench/seed_demo.py --organisations N [--database-url URL]` "
    "(fresh database; times `manage.py seed_demo` as a whole process, start-up included)."
)
COLUMNS = ["date", "organisations", "database", "time", "target", "machine"]


def run(args: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--organisations", type=int, default=5000)
    parser.add_argument("--database-url", default="")
    options = parser.parse_args()

    with tempfile.TemporaryDirectory() as var_dir:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_", "REDIS_"))}
        env["DJANGO_VAR_DIR"] = var_dir
        if options.database_url:
            env["DATABASE_URL"] = options.database_url
        run(["migrate", "--noinput", "-v0"], env)
        run(["load_lov"], env)
        seconds = run(["seed_demo", "--organisations", str(options.organisations)], env)

    backend = "PostgreSQL" if options.database_url else "SQLite"
    verdict = "meets" if seconds < 60 else "MISSES"
    row = (
        f"| {datetime.date.today().isoformat()} | {options.organisations} | {backend} "
        f"| {seconds:.1f} s | {verdict} the 60 s target | {MACHINE} |"
    )
    results_row_write(SECTION, row, intro=INTRO, columns=COLUMNS)


if __name__ == "__main__":
    main()
