"""Helpers for tests that play an attacker with access to the database."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import DEFAULT_DB_ALIAS, connections

from lov_portal.core import triggers


@contextmanager
def forced(using: str = DEFAULT_DB_ALIAS) -> Iterator[None]:
    """Let a deliberate change through the frozen-record triggers, as a database owner could.

    PostgreSQL: `session_replication_role = replica` (row triggers do not fire; needs a
    superuser, as the tests' role is). SQLite: the triggers are dropped and reinstalled after.
    """
    connection = connections[using]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET session_replication_role = replica")
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("SET session_replication_role = DEFAULT")
    else:
        triggers.uninstall(using)
        try:
            yield
        finally:
            triggers.install(using)


# Go's sumdb/note example signer key: well-formed, public, for settings that need a log key.
EXAMPLE_LOG_KEY = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"
