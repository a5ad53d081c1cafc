"""Profile pages in-process with cProfile, as gunicorn's workers run them (the WSGI handler).

    BENCH_DATABASE=lov_bench .venv/bin/python bench/pageprofile.py [--as EMAIL] PATH...

Uses the database bench/load.py left behind (seed_demo data) and REDIS_URL. For each path:
warms up, times --requests requests (wall ms and this process's CPU ms per request, with
/__baseline__/, the portal's middleware alone, timed the same way; the CPU time is what other
load on a shared machine inflates least), counts the SQL queries and Redis commands of one
request, then profiles as many and prints the functions with the largest own and cumulative
time. With --as, requests carry a logged-in session of that user
(staff: with an authenticator and a session that has passed MFA, as in bench/load.py).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DB = os.environ.get("BENCH_DATABASE", "lov_bench")
os.environ.update(
    DATABASE_URL=f"postgres://postgres@127.0.0.1:5432/{DB}",
    REDIS_URL=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/9"),
    DJANGO_DEBUG="false",
    DJANGO_ALLOWED_HOSTS="127.0.0.1",
    DJANGO_LOG_LEVEL="WARNING",
    BENCHMARK_BASELINE="true",
    DJANGO_SETTINGS_MODULE="lov_portal.settings",
)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--as", dest="email")
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument(
        "--cold", action="store_true", help="clear the cache before every request (first renders)"
    )
    parser.add_argument(
        "--queries", action="store_true", help="print the SQL of one (warm) request per path"
    )
    options = parser.parse_args()

    from bench.common import session_cookie

    cookie = session_cookie(dict(os.environ), options.email) if options.email else ""

    import django

    django.setup()
    from django.core.handlers.wsgi import WSGIHandler
    from django.test.client import RequestFactory

    handler = WSGIHandler()
    factory = RequestFactory()

    from django.core.cache import cache

    def call(path: str) -> int:
        if options.cold:
            cache.clear()
        route, _, query = path.partition("?")
        environ = factory._base_environ(
            PATH_INFO=route, QUERY_STRING=query, SERVER_NAME="127.0.0.1", HTTP_COOKIE=cookie
        )
        status = []
        body = handler(environ, lambda s, h, *a: status.append(s))
        for _ in body:
            pass
        body.close()
        return int(status[0].split()[0])

    import redis.client
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    redis_calls = [0]
    execute_command = redis.client.Redis.execute_command

    def counted(self, *args, **kwargs):
        redis_calls[0] += 1
        return execute_command(self, *args, **kwargs)

    redis.client.Redis.execute_command = counted

    def round_trips(path: str) -> tuple[int, int]:
        """(SQL queries, Redis commands) of one warm request."""
        redis_calls[0] = 0
        with CaptureQueriesContext(connection) as captured:
            call(path)
        return len(captured), redis_calls[0]

    cpu = {}

    def timed(path: str) -> float:
        for _ in range(20):
            call(path)
        started, started_cpu = time.perf_counter(), time.process_time()
        for _ in range(options.requests):
            call(path)
        # CPU time of this process alone (not PostgreSQL's or Redis's): what the machine's
        # other load does not inflate, unlike the wall time.
        cpu[path] = (time.process_time() - started_cpu) * 1000 / options.requests
        return (time.perf_counter() - started) * 1000 / options.requests

    print(f"load average {os.getloadavg()[0]:.2f}; {options.requests} requests each")
    baseline = timed("/__baseline__/")
    print(
        f"/__baseline__/: {baseline:.2f} ms per request, CPU {cpu['/__baseline__/']:.2f} ms, "
        "queries/Redis commands %d/%d" % round_trips("/__baseline__/")
    )
    for path in options.paths:
        assert call(path) == 200, path
        if options.queries:
            from django.db import connection
            from django.test.utils import CaptureQueriesContext

            with CaptureQueriesContext(connection) as captured:
                call(path)
            print(f"\n{path}: {len(captured)} queries")
            for query in captured:
                print(f"  {query['time']} s  {query['sql'][:300]}")
        ms = timed(path)
        queries, commands = round_trips(path)
        summary = (
            f"{path}: {ms:.2f} ms per request ({baseline / ms:.0%} of /__baseline__/), "
            f"CPU {cpu[path]:.2f} ms, queries/Redis commands {queries}/{commands}"
        )
        if not options.top:
            print(summary)
            continue
        print("\n" + summary)
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(options.requests):
            call(path)
        profiler.disable()
        for sort in ("tottime", "cumulative"):
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).strip_dirs().sort_stats(sort).print_stats(
                options.top
            )
            text = out.getvalue()
            print(text[text.index("   ncalls") :].rstrip())


if __name__ == "__main__":
    main()
