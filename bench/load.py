"""Load benchmark: the public pages and the staff dashboard against a bare Django baseline.

    .venv/bin/python bench/load.py [--organisations 5000] [--duration 8] [--connections 16]
    (or `make bench`; BENCH_DATABASE and BENCH_PORT choose the database and port)

On one machine, loopback only, bounded in time:
1. creates a fresh PostgreSQL database (lov_bench) filled by load_lov + seed_demo;
2. starts gunicorn with the production settings on 127.0.0.1;
3. measures each page with wrk (requests/s and p50/p95/p99 latency), including a bare Django
   view that returns a fixed short response through the same middleware and server
   (`/__baseline__/`, only routed when BENCHMARK_BASELINE=true), and reports each page's
   throughput as a ratio to that baseline;
4. writes the table to docs/benchmarks.md.
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

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "docs" / "benchmarks.md"
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

# (label, path, kind, target ratio). Paths that 404 on this checkout are reported, not measured.
PAGES = [
    ("baseline (bare Django view)", "/__baseline__/", "baseline", None),
    ("home", "/", "public", 0.30),
    ("agreement", "/overenskommelsen/", "public", 0.30),
    ("register, first page", "/undertecknare/", "public", 0.30),
    ("register, search", "/undertecknare/?q=idrottsf%C3%B6rening", "public", 0.30),
    ("register, filter", "/undertecknare/?kommun=2281", "public", 0.30),
    ("organisation profile", "{profile}", "public", 0.30),
    ("public commitments", "/ataganden/", "public", 0.30),
    ("published minutes", "/moten/", "public", 0.30),
    ("staff dashboard (logged in)", "/uppfoljning/", "staff", 0.10),
]


def manage(*args: str, env: dict[str, str]) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return result.stdout


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


def staff_cookie(env: dict[str, str]) -> str:
    code = (
        "import django; django.setup();"
        "from django.contrib.sessions.backends.db import SessionStore;"
        "from django.contrib.auth import SESSION_KEY, BACKEND_SESSION_KEY, HASH_SESSION_KEY;"
        "from lov_portal.accounts.models import User;"
        "u = User.objects.get(email='personal@demo.lov.example.se');"
        "s = SessionStore(); s[SESSION_KEY] = str(u.pk);"
        "s[BACKEND_SESSION_KEY] = 'django.contrib.auth.backends.ModelBackend';"
        "s[HASH_SESSION_KEY] = u.get_session_auth_hash(); s.create(); print(s.session_key)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    )
    return "sessionid=" + out.stdout.strip()


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
from django.core.paginator import Paginator
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
    query = selectors.RegisterQuery(q=q)
    organisations = selectors.register_list(agreement=agreement, query=query)
    page = Paginator(organisations, REGISTER_PAGE_SIZE).get_page(1)
    return len(list(page.object_list)), page.paginator.count

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
    """Fresh register searches, in-process: the selector, its count and its prefetch."""
    out = subprocess.run(
        [sys.executable, "-c", SEARCH_CODE.replace("COUNT", str(count))],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
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
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--searches", type=int, default=200)
    options = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is needed: apt-get install wrk")

    tmp = Path(tempfile.mkdtemp(prefix="lov-bench-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_", "DJANGO_"))}
    env.update(
        DJANGO_ENV="production",
        DJANGO_SECRET_KEY="bench-" + "x" * 60,
        DJANGO_ALLOWED_HOSTS=HOST,
        DJANGO_SECURE_SSL_REDIRECT="false",
        DJANGO_VAR_DIR=str(tmp),
        DJANGO_STATIC_ROOT=str(tmp / "static"),
        DATABASE_URL=f"{PG}/{DB}",
        REDIS_URL=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/9"),
        SITE_URL="https://lov.example.se",
        CACHE_KEY_PREFIX=f"bench{int(time.time())}",
        BENCHMARK_BASELINE="true",
        DJANGO_SETTINGS_MODULE="lov_portal.settings",
        DJANGO_LOG_LEVEL="WARNING",
        LOV_SEAL_CERT=str(tmp / "seal.crt"),
        LOV_SEAL_KEY=str(tmp / "seal.key"),
        # Go's sumdb/note example key: production settings require a checkpoint key.
        LOV_LOG_SIGNING_KEY="PRIVATE+KEY+PeterNeumann+c74f20a3+"
        "AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz",
    )
    subprocess.run(  # a throwaway seal: production settings require one
        [
            *("openssl", "req", "-x509", "-newkey", "rsa:3072", "-nodes", "-days", "30"),
            *("-subj", "/CN=Benchmark seal", "-keyout", env["LOV_SEAL_KEY"]),
            *("-out", env["LOV_SEAL_CERT"]),
        ],
        check=True,
        capture_output=True,
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
    cookie = staff_cookie(env)
    profile = profile_path(env)

    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "lov_portal.wsgi:application",
            "--bind",
            f"{HOST}:{PORT}",
            "--workers",
            str(options.workers),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    rows = []
    try:
        for _ in range(60):
            try:
                if status_of(f"http://{HOST}:{PORT}/health/", None) == 200:
                    break
            except OSError:
                pass
            time.sleep(0.5)
        baseline = None
        for label, path, kind, target in PAGES:
            path = path.format(profile=profile)
            url = f"http://{HOST}:{PORT}{path}"
            page_cookie = cookie if kind == "staff" else None
            status = status_of(url, page_cookie)
            if status != 200:
                rows.append((label, path, None, target, f"not measured: HTTP {status}"))
                continue
            # Warm up, then measure.
            wrk(url, 2, options.connections, script, page_cookie)
            result = wrk(url, options.duration, options.connections, script, page_cookie)
            if kind == "baseline":
                baseline = result["rps"]
            rows.append((label, path, result, target, ""))
            print(
                f"{label:32} {result['rps']:8.0f} req/s  p50 {result['p50']:6.1f} ms  "
                f"p95 {result['p95']:6.1f} ms  p99 {result['p99']:6.1f} ms"
            )
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        shutil.rmtree(tmp, ignore_errors=True)
    load = (load_before, os.getloadavg())
    record(rows, baseline, options, time.perf_counter() - started, search, load)


def record(rows, baseline, options, seconds, search, load) -> None:
    lines = [
        SECTION,
        "",
        f"Run {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC on {platform.machine()}, "
        f"{os.cpu_count()} cores, Python {platform.python_version()}; "
        f"`{' '.join(['.venv/bin/python', 'bench/load.py', *sys.argv[1:]])}`: "
        f"seed_demo --organisations {options.organisations}, gunicorn with {options.workers} "
        f"sync workers and the production settings, wrk with {options.connections} connections "
        f"for {options.duration} s per page, loopback only; whole run {seconds:.0f} s.",
        "",
        f"Load average (1/5/15 min) before the run {' / '.join(f'{x:.2f}' for x in load[0])}, "
        f"after it {' / '.join(f'{x:.2f}' for x in load[1])}: the machine is shared, so "
        "anything above 0 is other work competing with wrk, gunicorn and PostgreSQL for the "
        f"{os.cpu_count()} cores.",
        "",
        "Database connections: gunicorn's workers keep theirs open (CONN_MAX_AGE=60 with "
        "CONN_HEALTH_CHECKS; DATABASE_POOL is not set). Public pages are served from the Redis "
        "page cache after the first request (keys per language and full path, invalidated by the "
        "public content version), so anonymous throughput measures the cached path.",
        "",
        "Targets: public pages ≥ 30 % of the baseline's throughput with p99 < 100 ms; the staff "
        "dashboard ≥ 10 %.",
        "",
        "| page | req/s | ratio to baseline | p50 ms | p95 ms | p99 ms | target met |",
        "|---|---|---|---|---|---|---|",
    ]
    for label, path, result, target, note in rows:
        if result is None:
            lines.append(f"| {label} (`{path}`) | – | – | – | – | – | {note} |")
            continue
        ratio = result["rps"] / baseline if baseline else 0
        if target is None:
            met = "(baseline)"
        else:
            ok = ratio >= target and (result["p99"] < 100 or target < 0.3)
            needs = f"≥ {target:.0%}" + (", p99 < 100 ms" if target >= 0.3 else "")
            met = "yes" if ok else f"**no** (needs {needs})"
        errors = f", {result['errors']} errors" if result["errors"] else ""
        lines.append(
            f"| {label} (`{path}`) | {result['rps']:.0f}{errors} | {ratio:.0%} | "
            f"{result['p50']:.1f} | {result['p95']:.1f} | {result['p99']:.1f} | {met} |"
        )
    met = "met" if search["p95"] < 20 else f"**missed** by {search['p95'] - 20:.1f} ms"
    lines += [
        "",
        f"Fresh register searches, server-side (in-process, `register_list` + page count + "
        f"prefetch, like the view; {search['count']} distinct queries, {search['with_results']} "
        f"with results, over {options.organisations} organisations, no cache): p50 "
        f"{search['p50']:.1f} ms, p95 {search['p95']:.1f} ms, max {search['max']:.1f} ms. "
        f"Target p95 < 20 ms: {met}.",
    ]
    section = "\n".join(lines) + "\n"
    text = RESULTS.read_text() if RESULTS.exists() else "# Benchmarks\n"
    if SECTION in text:
        start = text.index(SECTION)
        end = text.find("\n## ", start + len(SECTION))
        text = text[:start] + section + ("\n" + text[end + 1 :] if end != -1 else "")
    else:
        text = text.rstrip("\n") + "\n\n" + section
    RESULTS.write_text(text)


if __name__ == "__main__":
    main()
