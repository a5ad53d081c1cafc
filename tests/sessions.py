"""Query pins of logged-in pages depend on where sessions live (decision 74)."""

from django.conf import settings


def session_queries() -> int:
    """Queries a logged-in request spends reading its session: none when sessions are read
    from the cache (`cached_db`, whenever Redis is configured), one from the database."""
    return 0 if settings.SESSION_ENGINE.endswith("cached_db") else 1
