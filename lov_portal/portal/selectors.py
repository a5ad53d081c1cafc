"""Reads of the site layer that belong to no domain app: the state of the backing services."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.db import connection


def health_checks() -> dict[str, str]:
    """ "ok" or "error" for the database and, when configured, Redis (the cache).

    Any failure is an "error", never an exception: a health check answers, it does not fail."""
    checks: dict[str, str] = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        checks["database"] = "ok"
    except Exception:
        checks["database"] = "error"
    if settings.REDIS_URL:
        try:
            cache.set("health-check", "1", timeout=5)
            checks["redis"] = "ok" if cache.get("health-check") == "1" else "error"
        except Exception:
            checks["redis"] = "error"
    return checks


def healthy(checks: dict[str, str]) -> bool:
    return all(value == "ok" for value in checks.values())
