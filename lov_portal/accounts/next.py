"""Where the person was going: one check for a safe `next` (local paths only)."""

from __future__ import annotations

from urllib.parse import quote

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme

NEXT_SESSION_KEY = "lov_next"


def safe_next(request: HttpRequest, value: object) -> str | None:
    """`value` if it is a path on this site (no scheme, no host, no `//` or `\\` tricks)."""
    if not isinstance(value, str) or not value.startswith("/") or value.startswith(("//", "/\\")):
        return None
    if not url_has_allowed_host_and_scheme(value, allowed_hosts=set(), require_https=False):
        return None
    return value


def with_next(url: str, next_url: str) -> str:
    """`url?next=...` with the path quoted, so a query string in `next_url` stays in it."""
    return f"{url}?next={quote(next_url, safe='/')}"
