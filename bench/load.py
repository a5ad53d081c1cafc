"""Load benchmark: public and logged-in pages against two baselines.

    .venv/bin/python bench/load.py [--organisations 5000] [--duration 8] [--connections 16]
    (or `make bench`; BENCH_DATABASE and BENCH_PORT choose the database and the portal's port,
    the bare app listens on BENCH_PORT + 1)

On one machine, loopback only, bounded in time:
1. creates a fresh PostgreSQL database (lov_bench) filled by load_lov + seed_demo;
2. starts gunicorn with the production settings on 127.0.0.1, and beside it, with the same
   gunicorn.conf.py and worker count, a truly bare Django app (bench/bare_settings.py: a
   hello-world view, four default middleware, no database);
3. measures each page with wrk (requests/s and p50/p95/p99 latency): the bare app (at the start
   and again at the end; the better of the two is the yardstick), the portal's `/__baseline__/`
   (a fixed short response through the portal's whole middleware stack, only routed when
   BENCHMARK_BASELINE=true), the cached public pages anonymously, and the logged-in pages with
   a session cookie (an organisation member; a staff member who has passed MFA);
4. writes the table to docs/benchmarks.md, each page as a ratio to both baselines.
Needs PostgreSQL and Redis as on CI (ENGINEERING.md) and wrk (apt-get install wrk).
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from common import manage, production_env, results_section_write, run, session_cookie

ROOT = Path(__file__).resolve().parent.parent
SECTION = "## Load (bench/load.py)"
HOST = "127.0.0.1"
PORT = int(os.environ.get("BENCH_PORT", "8931"))
PG = "postgres://postgres@127.0.0.1:5432"
DB = os.environ.get("BENCH_DATABASE", "lov_bench")  # dropped and created afresh

LUA = """
done = function(summary, latency, requests)
  io.write(string.format("JSON {\\"rps\\": %f, \\"p50\\": %f, \\"p95\\": %f, \\"p99\\": %f, "
    .. "\\"errors\\": %d, \\"non2xx\\": %d}\\n",
    summary.requests / (summary.duration / 1000000), latency:percentile(50) / 1000,
    latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    summary.errors.connect + summary.errors.read + summary.errors.write
      + summary.errors.timeout, summary.errors.status))
end
"""

BARE_PORT = PORT + 1

# (label, path, kind, target ratio to bare Django). kind: "bare" (the bare app), "baseline"
# (the portal's middleware alone), "public" (anonymous), "member" / "staff" (logged in).
# Paths that do not answer 200 on this checkout are reported, not measured.
PAGES = [
    ("bare Django hello world", "/", "bare", None),
    ("portal middleware alone", "/__baseline__/", "baseline", None),
    ("home", "/", "public", 0.50),
    ("home, English", "/en/", "public", 0.50),
    ("agreement", "/overenskommelsen/", "public", 0.50),
    ("register, first page", "/undertecknare/", "public", 0.50),
    ("register, search", "/undertecknare/?q=idrottsf%C3%B6rening", "public", 0.50),
    ("register, filter", "/undertecknare/?kommun=2281", "public", 0.50),
    ("organisation profile", "{profile}", "public", 0.50),
    ("public commitments", "/ataganden/", "public", 0.50),
    ("published minutes", "/moten/", "public", 0.50),
    ("register, member", "/undertecknare/", "member", 0.10),
    ("register search, member", "/undertecknare/?q=idrottsf%C3%B6rening", "member", 0.10),
    ("Mina åtaganden, member", "/ataganden/mina/", "member", 0.10),
    ("to-do page, member", "/att-gora/", "member", 0.10),
    ("staff dashboard", "/uppfoljning/", "staff", 0.10),
    ("bare Django hello world, again", "/", "bare", None),
]
PUBLIC_P99_MS = 50


def prepare(env: dict[str, str], organisations: int) -> None:
    subprocess.run(["dropdb", "-h", HOST, "-U", "postgres", "--if-exists", DB], check=True)
    subprocess.run(["createdb", "-h", HOST, "-U", "postgres", DB], check=True)
    dev = {k: v for k, v in env.items() if k != "DJANGO_ENV"}
    manage("migrate", "--noinput", "-v0", env=dev)
    manage("load_lov", env=dev)
    manage("seed_demo", "--organisations", str(organisations), env=dev)
    # Statistics, as autovacuum would gather them on a live database after a bulk load.
    subprocess.run(["psql", "-h", HOST, "-U", "postgres", "-d", DB, "-qc", "ANALYZE"], check=True)
    manage("collectstatic", "--noinput", "-v0", env=env)


def profile_path(env: dict[str, str]) -> str:
    code = (
        "import django; django.setup(); from organisations.models import Organisation;"
        "print(Organisation.objects.filter(signatures__isnull=False)"
        ".exclude(slug='region-vasternorrland').order_by('pk').values_list('slug', flat=True)[0])"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    )
    return f"/undertecknare/{out.stdout.strip()}/"


SEARCH_CODE = """
import itertools, json, random, statistics, time
import django
django.setup()
from agreements import selectors
from agreements.views import REGISTER_PAGE_SIZE
from lov_portal.portal.demo import KINDS, PLACES, WORDS

agreement = selectors.agreement_get()
kinds = sorted({k for names in KINDS.values() for k in names})
places = sorted({p for names in PLACES.values() for p in names})
words = [w.split()[0] for w in WORDS]
candidates = (
    kinds + places + words
    + [f"{k} {p}" for k, p in itertools.product(kinds, places)]
    + [f"{w} {p}" for w, p in itertools.product(words, places)]
    + [f"{n:03d}" for n in (802, 769, 804)]
)
random.Random(9).shuffle(candidates)
queries = list(dict.fromkeys(candidates))[:COUNT]

def run(q):
    # As the register view does: the list, its page and count, the rows with their places.
    query = selectors.RegisterQuery(q=q)
    organisations = selectors.register_list(agreement=agreement, query=query)
    page = selectors.register_page(
        organisations, agreement=agreement, query=query, number=1, per_page=REGISTER_PAGE_SIZE
    )
    return len(selectors.register_rows(page.object_list, left=False)), page.paginator.count

run("uppvärmning")  # connect, warm the catalogue
timings, hits = [], 0
for q in queries:
    started = time.perf_counter()
    shown, total = run(q)
    timings.append((time.perf_counter() - started) * 1000)
    hits += bool(total)
timings.sort()
pick = lambda p: timings[min(len(timings) - 1, int(round(p / 100 * len(timings))) - 1)]
print("JSON " + json.dumps({"count": len(timings), "with_results": hits,
    "p50": statistics.median(timings), "p95": pick(95), "max": timings[-1]}))
"""


def search_timings(env: dict[str, str], count: int) -> dict:
    """Fresh register searches, in-process: the selectors, the count and the rows, as the view."""
    out = run("-c", SEARCH_CODE.replace("COUNT", str(count)), env=env)
    return json.loads(re.search(r"^JSON (.*)$", out, re.MULTILINE).group(1))


def status_of(url: str, cookie: str | None) -> int:
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def wrk(url: str, duration: int, connections: int, script: Path, cookie: str | None) -> dict:
    command = [
        "wrk",
        "-t2",
        f"-c{connections}",
        f"-d{duration}s",
        "--timeout",
        "5s",
        "-s",
        str(script),
        url,
    ]
    if cookie:
        command[1:1] = ["-H", f"Cookie: {cookie}"]
    out = subprocess.run(
        command, capture_output=True, text=True, check=True, timeout=duration + 30
    ).stdout
    return json.loads(re.search(r"^JSON (.*)$", out, re.MULTILINE).group(1))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--organisations", type=int, default=5000)
    parser.add_argument("--duration", type=int, default=8)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--searches", type=int, default=200)
    options = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is needed: apt-get install wrk")

    tmp = Path(tempfile.mkdtemp(prefix="lov-bench-"))
    env = production_env(
        tmp,
        database_url=f"{PG}/{DB}",
        drop=("DATABASE_", "DJANGO_"),
        DJANGO_ALLOWED_HOSTS=HOST,
        CACHE_KEY_PREFIX=f"bench{int(time.time())}",
        BENCHMARK_BASELINE="true",
    )
    started = time.perf_counter()
    load_before = os.getloadavg()
    prepare(env, options.organisations)
    search = search_timings(env, options.searches)
    print(
        f"register search ({search['count']} fresh queries): p50 {search['p50']:.1f} ms, "
        f"p95 {search['p95']:.1f} ms"
    )
    script = tmp / "report.lua"
    script.write_text(LUA)
    cookies = {
        "public": None,
        "bare": None,
        "baseline": None,
        "member": session_cookie(env, "foreningsadmin@demo.lov.example.se"),
        "staff": session_cookie(env, "personal@demo.lov.example.se"),
    }
    profile = profile_path(env)

    gunicorn = str(Path(sys.executable).parent / "gunicorn")
    # gunicorn.conf.py (read from the working directory) for both; no access log, and no worker
    # recycling in the middle of a measurement (GUNICORN_MAX_REQUESTS would restart a worker
    # every second or so at these rates, for both apps alike).
    served = {**env, "GUNICORN_ACCESSLOG": "", "GUNICORN_MAX_REQUESTS": "0"}
    bare_env = {
        k: v for k, v in served.items() if not k.startswith(("DJANGO_", "DATABASE_", "LOV_"))
    }
    bare_env["DJANGO_SETTINGS_MODULE"] = "bench.bare_settings"
    servers = [
        subprocess.Popen(
            [gunicorn, app, "--bind", f"{HOST}:{port}", "--workers", str(options.workers)],
            cwd=ROOT,
            env=app_env,
            start_new_session=True,
        )
        for app, port, app_env in [
            ("lov_portal.wsgi:application", PORT, served),
            ("django.core.wsgi:get_wsgi_application()", BARE_PORT, bare_env),
        ]
    ]
    rows = []
    try:
        for url in (f"http://{HOST}:{PORT}/health/", f"http://{HOST}:{BARE_PORT}/"):
            for _ in range(60):
                try:
                    if status_of(url, None) == 200:
                        break
                except OSError:
                    pass
                time.sleep(0.5)
        for label, path, kind, target in PAGES:
            path = path.format(profile=profile)
            url = f"http://{HOST}:{BARE_PORT if kind == 'bare' else PORT}{path}"
            page_cookie = cookies[kind]
            status = status_of(url, page_cookie)
            if status != 200:
                rows.append((label, path, kind, None, target, f"not measured: HTTP {status}"))
                continue
            # Warm up, then measure.
            wrk(url, 2, options.connections, script, page_cookie)
            result = wrk(url, options.duration, options.connections, script, page_cookie)
            rows.append((label, path, kind, result, target, ""))
            print(
                f"{label:32} {result['rps']:8.0f} req/s  p50 {result['p50']:6.1f} ms  "
                f"p95 {result['p95']:6.1f} ms  p99 {result['p99']:6.1f} ms  "
                f"load {os.getloadavg()[0]:.2f}",
                flush=True,
            )
    finally:
        for server in servers:
            os.killpg(server.pid, signal.SIGTERM)
        for server in servers:
            server.wait(timeout=30)
        shutil.rmtree(tmp, ignore_errors=True)
    load = (load_before, os.getloadavg())
    record(rows, options, time.perf_counter() - started, search, load)


def _best_rps(rows, kind: str) -> float | None:
    """The better of a yardstick's measurements: other work on the machine only slows it."""
    measured = [result["rps"] for _, _, k, result, _, _ in rows if k == kind and result]
    return max(measured) if measured else None


def record(rows, options, seconds, search, load) -> None:
    bare = _best_rps(rows, "bare")
    baseline = _best_rps(rows, "baseline")
    lines = [
        SECTION,
        "",
        f"Run {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC on {platform.machine()}, "
        f"{os.cpu_count()} cores, Python {platform.python_version()}; "
        f"`{' '.join(['.venv/bin/python', 'bench/load.py', *sys.argv[1:]])}`: "
        f"seed_demo --organisations {options.organisations}, gunicorn with {options.workers} "
        f"sync workers (gunicorn.conf.py, no access log, no worker recycling) and the production "
        f"settings, wrk with {options.connections} connections for {options.duration} s per "
        f"page, loopback only; whole run {seconds:.0f} s.",
        "",
        f"Load average (1/5/15 min) before the run {' / '.join(f'{x:.2f}' for x in load[0])}, "
        f"after it {' / '.join(f'{x:.2f}' for x in load[1])}: the machine is shared, so "
        "anything above 0 is other work competing with wrk, gunicorn and PostgreSQL for the "
        f"{os.cpu_count()} cores. Absolute numbers are therefore noisy; the ratios, measured "
        "in the same run, are what to compare.",
        "",
        "Two yardsticks: **bare Django** is a separate hello-world app (bench/bare_settings.py: "
        "no database, four default middleware) served by the same gunicorn settings, measured "
        "at the start and at the end of the run (the ratio uses the better of the two: other "
        "work on the machine only ever slows it); **portal "
        "middleware** is `/__baseline__/`, a fixed short response through the portal's whole "
        "middleware stack. Anonymous pages are served from the page cache after the first "
        "request; the logged-in pages carry a session cookie (an organisation administrator, "
        "`foreningsadmin@`; the staff dashboard as `personal@`, who has an authenticator and "
        "whose session has passed MFA).",
        "",
        f"Targets (ratios to bare Django): cached public pages ≥ 50 % with p99 < "
        f"{PUBLIC_P99_MS} ms; logged-in pages and the staff dashboard ≥ 10 %.",
        "",
        "| page | req/s | of bare Django | of portal middleware | p50 ms | p95 ms | p99 ms "
        "| target met |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for label, path, kind, result, target, note in rows:
        if result is None:
            lines.append(f"| {label} (`{path}`) | – | – | – | – | – | – | {note} |")
            continue
        of_bare = result["rps"] / bare if bare else 0
        of_baseline = result["rps"] / baseline if baseline else 0
        if target is None:
            met = "(yardstick)"
        else:
            public = kind == "public"
            ok = of_bare >= target and (result["p99"] < PUBLIC_P99_MS or not public)
            needs = f"≥ {target:.0%}" + (f", p99 < {PUBLIC_P99_MS} ms" if public else "")
            met = "yes" if ok else f"**no** (needs {needs})"
        errors = f", {result['errors']} errors" if result["errors"] else ""
        errors += f", {result['non2xx']} non-2xx" if result["non2xx"] else ""
        lines.append(
            f"| {label} (`{path}`) | {result['rps']:.0f}{errors} | {of_bare:.1%} | "
            f"{of_baseline:.0%} | {result['p50']:.1f} | {result['p95']:.1f} | "
            f"{result['p99']:.1f} | {met} |"
        )
    met = "met" if search["p95"] < 20 else f"**missed** by {search['p95'] - 20:.1f} ms"
    lines += [
        "",
        f"Fresh register searches, server-side (in-process, `register_list`, `register_page` "
        f"with its count and `register_rows`, like the view; {search['count']} distinct "
        f"queries, {search['with_results']} "
        f"with results, over {options.organisations} organisations, no cache): p50 "
        f"{search['p50']:.1f} ms, p95 {search['p95']:.1f} ms, max {search['max']:.1f} ms. "
        f"Target p95 < 20 ms: {met}.",
    ]
    section = "\n".join(lines) + "\n"
    results_section_write(SECTION, section)


if __name__ == "__main__":
    main()
