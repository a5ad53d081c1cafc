"""gunicorn's configuration: `make serve`, the Dockerfile and docker-compose.yml all use it.

Each value can be overridden by an environment variable of the same name in capitals with a
GUNICORN_ prefix (e.g. GUNICORN_WORKERS=5). tests/test_deployment.py checks the bounds.
"""

import os


def _int(name: str, default: int) -> int:
    return int(os.environ.get(f"GUNICORN_{name.upper()}", default))


bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = _int("workers", 3)
worker_class = "sync"

# Worker recycling: a worker is replaced after this many requests (the jitter spreads the
# restarts so the workers are not all replaced at once). Bounds slow growth of a worker's
# memory (fragmentation in long-lived processes; issue 15 measured 72 -> 274 MB).
max_requests = _int("max_requests", 1000)
max_requests_jitter = _int("max_requests_jitter", 100)

# A request that takes longer than this is killed and the worker replaced; normal pages take
# milliseconds and PDFs are rendered by the Celery worker, not here.
timeout = _int("timeout", 30)
graceful_timeout = _int("graceful_timeout", 30)
keepalive = _int("keepalive", 5)

# Request limits: the request line (method, path and query string), the number of headers and
# the size of each. Longer ones are answered 400 by gunicorn before Django sees them.
limit_request_line = _int("limit_request_line", 4094)
limit_request_fields = _int("limit_request_fields", 100)
limit_request_field_size = _int("limit_request_field_size", 8190)

# Access log to stdout (the container's log): client, request line, status, size, duration.
accesslog = os.environ.get("GUNICORN_ACCESSLOG", "-") or None
access_log_format = '%(h)s %(t)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s"'
errorlog = "-"
