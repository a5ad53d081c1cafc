"""First, uncached rendering of each public page, server-side, with 5,000 organisations.

    .venv/bin/python bench/first_render.py [--organisations 5000] [--renders 5] [--fresh]
    (BENCH_DATABASE names the PostgreSQL database, lov_bench by default; REDIS_URL the cache)

Uses the database bench/load.py leaves behind (seed_demo data, ANALYZEd), or seeds it the same
way (load.prepare) when it is missing, has fewer organisations, or with --fresh. Then, in one
process with the production settings' database and cache, for each public page of bench/load.py:
one warm-up render (templates compiled, connection open, as in a worker that has served
anything), then --renders times: clear the whole cache (page cache, fragments, content
versions), render the page through the WSGI handler anonymously and time it. The median is the
page's first-render time (target: under 50 ms); the queries of one more cold render are counted.
Writes the table to docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import load
from common import MACHINE, ROOT, manage, production_env, results_section_write, run

SECTION = "## First render (bench/first_render.py)"
TARGET_MS = 50

MEASURE_CODE = """
import json, statistics, sys, time
import django
django.setup()
from django.core.cache import cache
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection
from django.test.client import RequestFactory
from django.test.utils import CaptureQueriesContext

handler, factory = WSGIHandler(), RequestFactory()

def call(path):
    route, _, query = path.partition("?")
    environ = factory._base_environ(PATH_INFO=route, QUERY_STRING=query, SERVER_NAME="127.0.0.1")
    status = []
    body = handler(environ, lambda s, h, *a: status.append(s))
    for _ in body:
        pass
    body.close()
    assert status[0].startswith("200"), (path, status)

def timed(path, cold):
    timings = []
    for _ in range(RENDERS):
        if cold:
            cache.clear()
        started = time.perf_counter()
        call(path)
        timings.append((time.perf_counter() - started) * 1000)
    return timings

call("/__baseline__/")
results = {"baseline": statistics.median(timed("/__baseline__/", False))}
for label, path in json.loads(sys.argv[1]):
    call(path)
    timings = timed(path, True)
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        call(path)
    results[label] = {"path": path, "median": statistics.median(timings), "min": min(timings),
                      "max": max(timings), "queries": len(queries)}
print("JSON " + json.dumps(results))
"""


def organisations_in(env: dict[str, str]) -> int:
    code = "import django; django.setup(); from organisations.models import Organisation as O; "
    try:
        return int(run("-c", code + "print(O.objects.count())", env=env).split()[-1])
    except subprocess.CalledProcessError:
        return 0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--organisations", type=int, default=5000)
    parser.add_argument("--renders", type=int, default=5)
    parser.add_argument("--fresh", action="store_true")
    options = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="lov-first-"))
    env = production_env(
        tmp,
        database_url=f"{load.PG}/{load.DB}",
        drop=("DATABASE_", "DJANGO_"),
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        CACHE_KEY_PREFIX=f"first{int(time.time())}",
        BENCHMARK_BASELINE="true",
    )
    if options.fresh or organisations_in(env) < options.organisations:
        load.prepare(env, options.organisations)
    else:
        manage("collectstatic", "--noinput", "-v0", env=env)
    pages = [
        (label, path.format(profile=load.profile_path(env)))
        for label, path, kind, _ in load.PAGES
        if kind == "public"
    ]
    load_before = os.getloadavg()
    code = MEASURE_CODE.replace("RENDERS", str(options.renders))
    try:
        out = run("-c", code, json.dumps(pages), env=env)
    except subprocess.CalledProcessError as error:
        sys.exit(error.stderr)
    results = json.loads(out.split("JSON ", 1)[1])
    load_after = os.getloadavg()
    record(results, options, (load_before, load_after))


def record(results: dict, options: argparse.Namespace, load_average) -> None:
    baseline = results.pop("baseline")
    missed = {label: r for label, r in results.items() if r["median"] >= TARGET_MS}
    lines = [
        SECTION,
        "",
        f"Run {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC on {MACHINE}; "
        f"`{' '.join(['.venv/bin/python', 'bench/first_render.py', *sys.argv[1:]])}`: "
        f"{options.organisations} organisations (seed_demo, ANALYZEd), PostgreSQL and "
        "Redis on loopback, the production settings, in one process through the WSGI handler "
        "(no HTTP). Each page is rendered once to warm the process (templates compiled, the "
        f"connection open), then {options.renders} times right after clearing the whole cache "
        "(page cache, fragments, content versions): the median of those is the first, "
        "uncached render. Queries: those of one more cold render. Load average (1 min) "
        f"{load_average[0][0]:.2f} before, {load_average[1][0]:.2f} after, on a machine "
        "shared with other work. Yardstick: `/__baseline__/` (the portal's middleware and a "
        f"fixed short response) took {baseline:.1f} ms in the same process (median of "
        f"{options.renders}); the last column is each page as a multiple of it, which moves "
        "less with the machine's load than the milliseconds do.",
        "",
        f"Target: under {TARGET_MS} ms server-side for each public page.",
        "",
        "| page | median ms | min ms | max ms | queries | target met | × `/__baseline__/` |",
        "|---|---|---|---|---|---|---|",
    ]
    for label, r in results.items():
        met = "yes" if r["median"] < TARGET_MS else f"**no** (by {r['median'] - TARGET_MS:.1f} ms)"
        lines.append(
            f"| {label} (`{r['path']}`) | {r['median']:.1f} | {r['min']:.1f} | {r['max']:.1f} "
            f"| {r['queries']} | {met} | {r['median'] / baseline:.0f} |"
        )
    lines += ["", f"Missed: {', '.join(missed) or 'none'}."]
    results_section_write(SECTION, "\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
