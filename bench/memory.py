"""Memory benchmark (issue 15): does one gunicorn worker's memory stay bounded?

1. seeds a fresh PostgreSQL database (seed_demo; published minutes get their PDFs stored at
   publication, as the Celery worker would: tasks run in-process while seeding);
2. starts gunicorn with gunicorn.conf.py and the production settings, ONE worker, worker
   recycling switched off (GUNICORN_MAX_REQUESTS=0: we measure growth, not hide it);
3. warms the worker up with one request of each kind, reads its RSS (/proc/<pid>/status);
4. sends 1,000 mixed anonymous requests, 200 of them to distinct minutes-PDF URLs (?x=N, the
   attack from the issue), the others to public pages with varied query strings;
5. reads the RSS again; the growth since boot (the worker having answered /health/) must stay
   under 50 MB;
6. writes the result to docs/benchmarks.md (section "Memory (bench/memory.py)").

Run: `.venv/bin/python bench/memory.py` (PostgreSQL at 127.0.0.1:5432 as postgres, Redis at
REDIS_URL; BENCH_DATABASE names the database, which is dropped and created afresh).
Loopback only; stops by itself.
"""

from __future__ import annotations

import argparse
import collections
import datetime
import os
import platform
import random
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from common import manage, production_env, results_section_write, run

ROOT = Path(__file__).resolve().parent.parent
SECTION = "## Memory (bench/memory.py)"
HOST = "127.0.0.1"
PG = "postgres://postgres@127.0.0.1:5432"
LIMIT_MB = 50.0


def python(code: str, env: dict[str, str]) -> str:
    return run("-c", "import django; django.setup();" + code, env=env)


def seed(env: dict[str, str], database: str, organisations: int) -> None:
    subprocess.run(["dropdb", "-h", HOST, "-U", "postgres", "--if-exists", database], check=True)
    subprocess.run(["createdb", "-h", HOST, "-U", "postgres", database], check=True)
    # Seeding runs with development settings; tasks in-process, as a worker would run them.
    dev = {k: v for k, v in env.items() if k != "DJANGO_ENV"}
    dev["CELERY_TASK_ALWAYS_EAGER"] = "true"
    manage("migrate", "--noinput", "-v0", env=dev)
    manage("load_lov", env=dev)
    manage("seed_demo", "--organisations", str(organisations), env=dev)


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


def worker_pid(master: int) -> int:
    for _ in range(100):
        children = Path(f"/proc/{master}/task/{master}/children")
        if children.exists() and children.read_text().split():
            return int(children.read_text().split()[0])
        time.sleep(0.1)
    raise RuntimeError("gunicorn started no worker")


def get(url: str) -> int:
    url = urllib.parse.quote(url, safe=":/?&=%.")
    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def request_mix(
    base: str, pdf_paths: list[str], profiles: list[str], commitments: list[int], count: int
) -> list[str]:
    rng = random.Random(15)
    words = ["idrott", "förening", "stiftelse", "Sundsvall", "kultur", "barn", "natur", "ö"]
    pages = [
        lambda: "/",
        lambda: "/overenskommelsen/",
        lambda: f"/undertecknare/?q={rng.choice(words)}&sida={rng.randint(1, 5)}",
        lambda: f"/undertecknare/?kommun={rng.randint(2260, 2284)}&x={rng.random()}",
        lambda: rng.choice(profiles),
        lambda: "/ataganden/",
        lambda: f"/ataganden/{rng.choice(commitments)}/",
        lambda: "/moten/",
        lambda: "/moten/gruppen/",
        lambda: f"/moten/kalender.ics?utm={rng.random()}",
        lambda: "/undertecknare.csv",
        lambda: "/health/",
        lambda: f"/finns-inte-{rng.randint(1, 10**6)}/",
    ]
    pdf_count = 200
    urls = [f"{rng.choice(pdf_paths)}?x={n}" for n in range(pdf_count)]
    urls += [rng.choice(pages)() for _ in range(count - pdf_count)]
    rng.shuffle(urls)
    return [base + url for url in urls]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--organisations", type=int, default=300)
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--port", type=int, default=int(os.environ.get("BENCH_PORT", "8107")))
    parser.add_argument("--no-seed", action="store_true", help="reuse the seeded database")
    options = parser.parse_args()
    database = os.environ.get("BENCH_DATABASE", "lov_memory")

    tmp = Path(tempfile.mkdtemp(prefix="lov-memory-"))
    env = production_env(
        tmp,
        database_url=f"{PG}/{database}",
        drop=("DATABASE_", "DJANGO_", "CELERY_", "GUNICORN_"),
        DJANGO_ALLOWED_HOSTS=HOST,
        DJANGO_MEDIA_ROOT=str(tmp / "media"),
        CACHE_KEY_PREFIX=f"memory{int(time.time())}",
        GUNICORN_BIND=f"{HOST}:{options.port}",
        GUNICORN_WORKERS="1",
        GUNICORN_MAX_REQUESTS="0",
        GUNICORN_ACCESSLOG="",
    )
    started = time.perf_counter()
    if options.no_seed:
        env["DJANGO_MEDIA_ROOT"] = os.environ.get("BENCH_MEDIA_ROOT", env["DJANGO_MEDIA_ROOT"])
    else:
        seed(env, database, options.organisations)
    manage("collectstatic", "--noinput", "-v0", env=env)
    facts = python(
        "from meetings.models import Minutes, MinutesPdf;"
        "from organisations.models import Organisation;"
        "from commitments.models import Commitment;"
        "print(' '.join(str(m.meeting_id) for m in Minutes.objects.filter("
        "published_revision__isnull=False)));"
        "print(' '.join(Organisation.objects.filter(signatures__isnull=False)"
        ".values_list('slug', flat=True)[:50]));"
        "print(' '.join(str(pk) for pk in Commitment.objects.values_list('pk', flat=True)));"
        "print(MinutesPdf.objects.count())",
        env,
    ).splitlines()
    meetings, slugs, commitments, stored = facts[0].split(), facts[1].split(), facts[2], facts[3]
    if not meetings:
        sys.exit("seed_demo published no minutes")
    pdf_paths = [f"/moten/{pk}/protokoll/pdf/" for pk in meetings]
    profiles = [f"/undertecknare/{slug}/" for slug in slugs] or ["/undertecknare/"]
    commitment_ids = [int(pk) for pk in commitments.split()]

    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "lov_portal.wsgi:application",
            "--config",
            "gunicorn.conf.py",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    base = f"http://{HOST}:{options.port}"
    try:
        for _ in range(100):
            try:
                if get(base + "/health/") == 200:
                    break
            except OSError:
                time.sleep(0.2)
        worker = worker_pid(server.pid)
        boot = rss_mb(worker)
        # Warm-up: one of each kind (imports, templates, connections), as any live worker has.
        warm = request_mix(base, pdf_paths, profiles, commitment_ids, 260)[:60]
        for url in warm:
            get(url)
        before = rss_mb(worker)
        statuses: collections.Counter[int] = collections.Counter()
        samples = []
        urls = request_mix(base, pdf_paths, profiles, commitment_ids, options.requests)
        run_started = time.perf_counter()
        for index, url in enumerate(urls, 1):
            statuses[get(url)] += 1
            if index % 100 == 0:
                samples.append(round(rss_mb(worker), 1))
        elapsed = time.perf_counter() - run_started
        after = rss_mb(worker)
        same_worker = worker_pid(server.pid) == worker
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)

    growth = after - before
    total = after - boot
    met = total <= LIMIT_MB and same_worker
    print(
        f"worker RSS: boot {boot:.1f} MB, after warm-up {before:.1f} MB, after "
        f"{options.requests} requests {after:.1f} MB (growth {growth:+.1f} MB after warm-up, "
        f"{total:+.1f} MB since boot); "
        f"statuses {dict(statuses)}; {elapsed:.1f} s"
    )
    cpu = platform.machine()
    machine = f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}"
    now = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    status_text = ", ".join(f"{code}: {n}" for code, n in sorted(statuses.items()))
    lines = [
        SECTION,
        "",
        f"Run {now} on {machine}; command `.venv/bin/python bench/memory.py` "
        f"(BENCH_DATABASE={database}, port {options.port}); seed_demo --organisations "
        f"{options.organisations}, {len(meetings)} published minutes with {stored} stored PDFs "
        "(rendered at publication, as the Celery worker does); gunicorn with gunicorn.conf.py, "
        "the production settings, 1 sync worker and worker recycling off "
        f"(GUNICORN_MAX_REQUESTS=0); whole run {time.perf_counter() - started:.0f} s.",
        "",
        f"{options.requests} anonymous requests, one at a time, after 60 warm-up requests: 200 "
        "to distinct minutes-PDF URLs (`/moten/<id>/protokoll/pdf/?x=N`), the rest to the home "
        "page, the agreement, the register with varied searches, filters, pages and unknown "
        "parameters, organisation profiles, commitments, meetings, the calendar feed, the CSV, "
        f"/health/ and unknown paths. Statuses: {status_text}; {elapsed:.1f} s.",
        "",
        "| worker RSS | MB |",
        "|---|---|",
        f"| at boot | {boot:.1f} |",
        f"| after warm-up | {before:.1f} |",
        f"| after {options.requests} requests | {after:.1f} |",
        f"| growth after warm-up | {growth:+.1f} |",
        f"| growth since boot | {total:+.1f} |",
        "",
        f"RSS every 100 requests: {', '.join(str(s) for s in samples)} MB.",
        "",
        f"Bound: growth since boot at most {LIMIT_MB:.0f} MB in the same worker: "
        + ("**met**." if met else "**missed**."),
    ]
    section = "\n".join(lines) + "\n"
    results_section_write(SECTION, section)
    if not met:
        sys.exit(1)


if __name__ == "__main__":
    main()
