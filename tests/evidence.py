"""Helpers for the evidence tests: act as someone with direct access to the database."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from django.db import connection


@contextlib.contextmanager
def forced() -> Iterator[None]:
    """Bypass the append-only triggers, as a database administrator could.

    PostgreSQL: `session_replication_role = replica` skips ordinary triggers for the session.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET session_replication_role = replica")
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("SET session_replication_role = DEFAULT")
    else:
        yield
