"""Request helpers shared by the apps."""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


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
    """A query parameter as an integer in [minimum, maximum]; `default` when it is absent and
    None when it is anything else (Unicode digits such as "²", signs, spaces, huge values)."""
    raw = request.GET.get(name)
    if raw is None or raw == "":
        return default
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 19:
        return None
    value = int(raw)
    return value if minimum <= value <= maximum else None
