"""Request helpers shared by the apps."""

from __future__ import annotations

import ipaddress
from typing import TypeVar

from django.conf import settings
from django.http import Http404, HttpRequest

T = TypeVar("T")


def or_404(found: T | None) -> T:
    """`found`, or a 404 when a selector found nothing (selectors answer None, views 404)."""
    if found is None:
        raise Http404
    return found


def _valid_ip(value: str | None) -> str | None:
    if not value:
        return None
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str | None:
    """The client's IP address, for evidence records and logs.

    With `TRUSTED_PROXY_COUNT` = 0 (the default) X-Forwarded-For is ignored (anyone can send
    it) and REMOTE_ADDR is the answer. Behind N proxies we control, each appends the address it
    received the request from, so the client is the N-th entry from the right; entries further
    left were written by the client and are never trusted. A header with fewer entries than
    proxies, or an entry that is not an IP address, means the chain is not what we configured:
    we fall back to REMOTE_ADDR rather than guess.
    """
    remote = _valid_ip(request.META.get("REMOTE_ADDR"))
    count = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    header = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if count <= 0 or not header:
        return remote
    entries = [entry.strip() for entry in header.split(",")]
    if len(entries) < count:
        return remote
    return _valid_ip(entries[-count]) or remote


def absolute_url(viewname: str, *args: object) -> str:
    """The full address of a page, for e-mails, calendar files and PDFs (SITE_URL + path),
    in the active language."""
    from django.urls import reverse

    return settings.SITE_URL + reverse(viewname, args=args or None)


def site_host() -> str | None:
    """The portal's host name (from SITE_URL), for Message-IDs and calendar UIDs."""
    from urllib.parse import urlsplit

    return urlsplit(settings.SITE_URL).hostname


def query_int(
    request: HttpRequest,
    name: str,
    *,
    default: int | None = None,
    minimum: int = 0,
    maximum: int = 2**62,
) -> int | None:
    """A query parameter as an integer in [minimum, maximum] (parsed by `positive_int`);
    `default` when it is absent and None when it is anything else."""
    raw = request.GET.get(name)
    if raw is None or raw == "":
        return default
    value = 0 if raw == "0" else positive_int(raw, maximum=maximum)
    return value if value is not None and minimum <= value else None


# The largest value of a PostgreSQL bigint: anything beyond is no row's primary key.
MAX_ID = 2**63 - 1


def positive_int(value: object, *, maximum: int = MAX_ID) -> int | None:
    """A positive whole number written in ASCII digits, or None.

    `str.isdigit()` accepts "²" and "٣", which `int()` then refuses or reads as another
    number; query strings, POST fields and CSV cells are parsed here instead."""
    if not isinstance(value, str):
        return None
    value = value.strip()
    if not value or len(value) > len(str(maximum)) or not (value.isascii() and value.isdigit()):
        return None
    number = int(value)
    return number if 0 < number <= maximum else None


def safe_next(request: HttpRequest, value: object, fallback: str) -> str:
    """`value` if it is a local URL on this site (a path starting with "/"), else `fallback`.

    The one check for every `next` (log-in, MFA set-up, BankID step-up, the admin, status
    updates). Relative paths ("foo"), other hosts ("//host", "/\\host", which browsers read as
    "//host") and anything that is not a string (a session or a form may hold one) fall back
    quietly: a `next` is where the visitor came from, never a place a link may choose."""
    from django.utils.http import url_has_allowed_host_and_scheme

    if (
        isinstance(value, str)
        and value.startswith("/")
        and not value.startswith(("//", "/\\"))
        and url_has_allowed_host_and_scheme(
            value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return value
    return fallback


def with_next(url: str, next_url: str) -> str:
    """`url?next=...` with the path quoted, so a query string in `next_url` stays in it."""
    from urllib.parse import quote

    return f"{url}?next={quote(next_url, safe='/')}"
