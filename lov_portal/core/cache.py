"""Caching of public pages, per language, invalidated the moment what they show changes.

Every cached page's key includes a "public content version". Anything that changes what the
public sees (a signature, a withdrawal, a status update, published minutes...) bumps the
version, so the next request renders afresh: a new signature appears in the register at once,
not after expiry. Old entries simply age out.

Only anonymous requests (no session cookie) are served from or stored in the cache, and only
responses that carry no cookie and no CSRF token. Logged-in pages are never cached and are
marked private.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterable
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse, QueryDict
from django.utils.cache import patch_cache_control
from django.utils.translation import get_language

VERSION_KEY = "public-content-version"
PAGE_TIMEOUT = 60 * 60
# Headers a cached page keeps besides its body and content type (e.g. a calendar feed's file name).
KEPT_HEADERS = ("Content-Disposition",)


def public_cache_version() -> str:
    version = cache.get(VERSION_KEY)
    if version is None:
        version = str(time.time_ns())
        cache.add(VERSION_KEY, version, timeout=None)
        version = cache.get(VERSION_KEY, version)
    return version


def _set_new_version() -> None:
    cache.set(VERSION_KEY, str(time.time_ns()), timeout=None)


def public_cache_bump() -> None:
    """Call after any change the public pages show (signals do it for single saves).

    Bumps at once and, inside a transaction, again when it commits: a page rendered by another
    request between the first bump and the commit (still showing the old data) must not stay
    cached under the new version.
    """
    _set_new_version()
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(_set_new_version)


def _key(request: HttpRequest, version: str) -> str:
    path = hashlib.sha256(request.get_full_path().encode()).hexdigest()
    return f"page:{version}:{get_language()}:{path}"


def _keep_only(request: HttpRequest, params: tuple[str, ...]) -> None:
    """Drop every query parameter the page does not read, before it is rendered and keyed.

    Otherwise `?x=1`, `?x=2`, ... each miss the cache (a costly PDF rendered per request) and
    the rendered page would echo parameters (the language link, the register's hidden fields)
    into an entry other visitors are served.
    """
    kept = QueryDict(mutable=True)
    for name in params:
        if name in request.GET:
            kept.setlist(name, request.GET.getlist(name))
    kept._mutable = False
    request.GET = kept
    request.META["QUERY_STRING"] = kept.urlencode()


def cache_public_page(
    view: Callable[..., HttpResponse] | None = None, *, params: Iterable[str] = ()
) -> Callable[..., HttpResponse]:
    """Cache a public page for anonymous visitors. `params`: the query parameters the page
    reads; any others are ignored (removed from the request and the key)."""
    if view is None:
        return lambda inner: cache_public_page(inner, params=params)
    allowed = tuple(sorted(set(params)))

    @wraps(view)
    def wrapped(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        anonymous = settings.SESSION_COOKIE_NAME not in request.COOKIES
        # A visitor with a pending flash message must see it, and it must not be stored.
        has_messages = getattr(settings, "MESSAGE_COOKIE_NAME", "messages") in request.COOKIES
        if request.method not in ("GET", "HEAD") or not anonymous or has_messages:
            return view(request, *args, **kwargs)
        _keep_only(request, allowed)
        key = _key(request, public_cache_version())
        cached = cache.get(key)
        if cached is not None:
            content, content_type, status, *rest = cached
            response = HttpResponse(content, content_type=content_type, status=status)
            for name, value in (rest[0] if rest else {}).items():
                response[name] = value
            response["X-Cache"] = "hit"
        else:
            response = view(request, *args, **kwargs)
            storable = (
                response.status_code == 200
                and not response.streaming
                and not response.cookies
                and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
            )
            if hasattr(response, "render") and callable(response.render):
                response.render()
            if storable:
                headers = {h: response[h] for h in KEPT_HEADERS if h in response}
                cache.set(
                    key,
                    (response.content, response["Content-Type"], 200, headers),
                    PAGE_TIMEOUT,
                )
                response["X-Cache"] = "miss"
        # Browsers and proxies may keep it briefly; revalidation with the ETag is cheap.
        patch_cache_control(response, public=True, max_age=60)
        return response

    return wrapped


class PrivatePagesMiddleware:
    """Logged-in pages must never be stored in a shared cache."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, private=True, no_cache=True)
            if "public" in response.get("Cache-Control", ""):
                response["Cache-Control"] = "private, no-cache"
        return response
