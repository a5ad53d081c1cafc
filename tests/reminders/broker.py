"""Point the portal's Celery app at another broker for one test."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from urllib.parse import urlsplit, urlunsplit

from lov_portal.celery import app

# Tests use their own Redis database so they never touch data of a running portal.
TEST_REDIS_DB = 6


def redis_test_url(redis_url: str) -> str:
    """REDIS_URL with its database number replaced by the tests' own."""
    parts = urlsplit(redis_url)
    return urlunsplit(parts._replace(path=f"/{TEST_REDIS_DB}"))


def _reset_connections() -> None:
    # Drop (not close) the cached pools: kombu shares them by URL with the rest of the process.
    app._pool = None
    app.amqp._producer_pool = None


@contextlib.contextmanager
def broker_at(url: str) -> Iterator[None]:
    previous = app.conf.task_always_eager, app.conf.broker_url
    _reset_connections()
    app.conf.task_always_eager = False
    app.conf.broker_url = url
    try:
        yield
    finally:
        _reset_connections()
        app.conf.task_always_eager, app.conf.broker_url = previous
