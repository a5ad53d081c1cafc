"""Caching of public pages, per language, invalidated the moment what they show changes.

One home for page caching: `cache_public_page` marks a view as a public page (and names the
query parameters it reads); `PublicPageCacheMiddleware`, near the top of the middleware stack,
serves and stores those pages.

Every entry carries the "public content version" it was rendered under. Anything that changes
what the public sees (a signature, a withdrawal, a status update, published minutes...) bumps
the version, so the next request renders afresh: a new signature appears in the register at
once, not after expiry. Old entries are overwritten or age out.

A hit costs one cache round trip (the version and the page are read together with one MGET)
and none of the middleware below: no session, CSRF, locale, authentication, allauth or MFA
work, no rendering and no ETag hashing (the ETag is stored with the page). The key knows the
language from the URL (`/en/...`; everything else is the default language, as LocaleMiddleware
decides with `prefix_default_language=False`).

Only anonymous requests (no session cookie, no pending flash message, no Authorization header)
are served from or stored in the cache, and only responses that set no cookie, carry no CSRF
token and are not marked private. Logged-in pages are never cached and are marked private.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime
import hashlib
import time
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache, wraps
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.cache import cache
from django.core.cache.utils import make_template_fragment_key
from django.core.signals import setting_changed
from django.db import transaction
from django.http import HttpRequest, HttpResponse, QueryDict
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.cache import get_conditional_response, patch_cache_control

VERSION_KEY = "public-content-version"
STOCKHOLM = ZoneInfo("Europe/Stockholm")
PAGE_TIMEOUT = 60 * 60
# Response headers never stored with a page: per-response ones.
UNSTORED_HEADERS = frozenset({"set-cookie", "x-cache"})


# What logged-in people see beyond the public content (memberships, applications): the work
# menu's facts are cached per person under both versions (lov_portal.portal.nav).
WORK_VERSION_KEY = "work-content-version"


# One request's reads (request_cache below): the content versions and whatever was fetched
# with them, so that the view, the work menu, the MFA check and the fragments of one page share
# one cache round trip instead of reading the versions again each.
_request_reads: contextvars.ContextVar[dict | None] = contextvars.ContextVar(
    "lov_request_reads", default=None
)
_VERSIONS = object()  # the memo's key for the (public, work) versions


@contextlib.contextmanager
def request_cache(prefetch: Callable[[], Iterable[str]] = tuple) -> Iterator[None]:
    """Within the block, the content versions are read from the cache once (the first time
    they are asked for), together with the keys `prefetch()` names (the person's entries), in
    one MGET; `request_cached` answers those keys from that read. A bump in the block moves
    the versions read too. RequestCacheMiddleware wraps every request in it; outside a
    request every call reads the cache afresh."""
    token = _request_reads.set({"prefetch": prefetch})
    try:
        yield
    finally:
        _request_reads.reset(token)


def in_request_cache() -> bool:
    """Whether this runs inside `request_cache` (a request), where content versions are read
    once: code may then keep what it reads per public content version."""
    return _request_reads.get() is not None


def _versions_read(extra: Iterable[str] = ()) -> tuple[tuple[str, str], dict]:
    """(public, work) versions and the entries at `extra`, in one round trip."""
    extra = list(extra)
    found = cache.get_many([VERSION_KEY, WORK_VERSION_KEY, *extra])
    versions = (
        found.get(VERSION_KEY) or _first_version(VERSION_KEY),
        found.get(WORK_VERSION_KEY) or _first_version(WORK_VERSION_KEY),
    )
    return versions, {key: found.get(key) for key in extra}


def content_versions() -> tuple[str, str]:
    """The (public, work) content versions, in one round trip (none if this request has read
    them already)."""
    reads = _request_reads.get()
    if reads is None:
        return _versions_read()[0]
    if _VERSIONS not in reads:
        prefetch = reads.pop("prefetch")
        reads[_VERSIONS], entries = _versions_read(prefetch())
        reads.update(entries)
    return reads[_VERSIONS]


def public_cache_version() -> str:
    return content_versions()[0]


def request_cached(key: str) -> tuple[bool, object]:
    """(True, entry) if this request has read `key` already (prefetched with the versions or
    by `request_prefetch`; the entry may be None, for a miss); (False, None) otherwise. An
    entry is answered once: whoever recomputes it writes it back itself."""
    reads = _request_reads.get()
    if reads is None or key not in reads:
        return False, None
    return True, reads.pop(key)


def request_prefetch(keys: Iterable[str]) -> None:
    """Read `keys` in one round trip now; the template's `{% cache %}` fragments then find
    them with `request_cached` (the fragment cache, lov_portal.core.redis_cache)."""
    reads = _request_reads.get()
    if reads is None:
        return
    keys = list(keys)
    found = cache.get_many(keys)
    reads.update({key: found.get(key) for key in keys})


def fragments_prefetch(names: Iterable[str], *vary_on: object) -> None:
    """Read the `{% cache timeout name vary_on... %}` fragments of each of `names` in one round
    trip (`request_prefetch`): the template's tags then find them without one each."""
    # The tag keys a fragment by its name token as written, quotes included.
    request_prefetch(make_template_fragment_key(f'"{name}"', vary_on) for name in names)


def _first_version(key: str = VERSION_KEY) -> str:
    version = str(time.time_ns())
    cache.add(key, version, timeout=None)
    return cache.get(key, version)


def _set_new_version(key: str = VERSION_KEY) -> None:
    version = str(time.time_ns())
    cache.set(key, version, timeout=None)
    reads = _request_reads.get()
    if reads is not None and _VERSIONS in reads:
        public, work = reads[_VERSIONS]
        reads[_VERSIONS] = (version, work) if key == VERSION_KEY else (public, version)


def versioned_get(key: str) -> tuple[tuple[str, str], object]:
    """The (public, work) content versions and the entry at `key`, in one round trip (none if
    the request prefetched it with the versions). Store the entry as (versions, value) with
    the versions read *before* the value was computed, and use it only while they are
    current."""
    reads = _request_reads.get()
    if reads is not None:
        versions = content_versions()
        known, entry = request_cached(key)
        if not known:
            entry = cache.get(key)
    else:
        versions, found = _versions_read([key])
        entry = found[key]
    if entry is not None and entry[0] == versions:
        return versions, entry[1]
    return versions, None


# How long entries and fragments kept per person live at most: what changes with time alone
# (a commitment turning six months stale) shows within this.
PERSON_TIMEOUT = 5 * 60


# The prefixes of the entries kept per person under `person_key` that a logged-in request reads
# with the content versions (RequestCacheMiddleware): the work menu's facts
# (lov_portal.portal.nav) and whether the person has a second factor (accounts.decorators).
PERSON_PREFETCH = ("nav", "mfa")


def person_key(user: object) -> str:
    """The person, their active/staff/superuser flags (read with the user on every request
    anyway) and the day in Stockholm: part of every key kept per person."""
    today = datetime.datetime.now(tz=STOCKHOLM).date().isoformat()
    flags = f"{user.is_active:d}{user.is_staff:d}{user.is_superuser:d}"
    return f"{user.pk}:{flags}:{today}"


def person_cache_key(user: object) -> str:
    """A key for fragments of a person's own pages ("Att göra", "Mina åtaganden"): it changes
    whenever a public or work content version moves, with the person's flags and the day.
    Cache such fragments for PERSON_TIMEOUT at most."""
    return ":".join([person_key(user), *content_versions()])


def work_cache_bump() -> None:
    """Call after a change to what logged-in people see beyond the public pages (a membership,
    an application); at once and again on commit, as `public_cache_bump`."""
    _set_new_version(WORK_VERSION_KEY)
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(lambda: _set_new_version(WORK_VERSION_KEY))


def public_cache_bump() -> None:
    """Call after any change the public pages show (signals do it for single saves).

    Bumps at once and, inside a transaction, again when it commits: a page rendered by another
    request between the first bump and the commit (still showing the old data) must not stay
    cached under the new version.
    """
    _set_new_version()
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(_set_new_version)


def page_cache_key(language: str, full_path: str) -> str:
    return f"page:{language}:{hashlib.sha256(full_path.encode()).hexdigest()}"


def keep_only_params(request: HttpRequest, params: Iterable[str]) -> None:
    """Drop every query parameter the page does not read, before it is rendered and keyed.

    Otherwise `?x=1`, `?x=2`, ... each miss the cache (a costly PDF rendered per request) and
    the rendered page would echo parameters (the language link, the register's hidden fields)
    into an entry other visitors are served.
    """
    if not request.META.get("QUERY_STRING"):
        return
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
    """Mark a view as a public page that PublicPageCacheMiddleware may serve from the cache to
    anonymous visitors. `params`: the query parameters the page reads; any others are ignored
    (removed from the request and the key)."""
    if view is None:
        return lambda inner: cache_public_page(inner, params=params)

    @wraps(view)
    def wrapped(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        response = view(request, *args, **kwargs)
        # Browsers and proxies may keep it briefly; revalidation with the ETag is cheap.
        # (PrivatePagesMiddleware turns this into private for a logged-in user.)
        patch_cache_control(response, public=True, max_age=60)
        response.public_page = True
        return response

    # Read by the middleware through resolve(); functools.wraps in outer decorators
    # (require_GET...) copies it.
    wrapped.public_page_params = tuple(sorted(set(params)))
    return wrapped


@lru_cache(maxsize=4096)
def _public_page_params(path_info: str, language: str) -> tuple[str, ...] | None:
    """The parameters of the public page at this path, or None if it is not one."""
    try:
        with translation.override(language):
            match = resolve(path_info)
    except Resolver404:
        return None
    return getattr(match.func, "public_page_params", None)


def _clear_resolved(**kwargs: object) -> None:
    _public_page_params.cache_clear()


setting_changed.connect(_clear_resolved)


def _anonymous(request: HttpRequest) -> bool:
    cookies = request.COOKIES
    return (
        settings.SESSION_COOKIE_NAME not in cookies
        # A visitor with a pending flash message must see it, and it must not be stored.
        and getattr(settings, "MESSAGE_COOKIE_NAME", "messages") not in cookies
        and "HTTP_AUTHORIZATION" not in request.META
    )


def _storable(request: HttpRequest, response: HttpResponse) -> bool:
    user = getattr(request, "user", None)
    cache_control = response.get("Cache-Control", "")
    return (
        request.method == "GET"
        and getattr(response, "public_page", False)
        and response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and not (user is not None and user.is_authenticated)
        and "private" not in cache_control
        and "no-store" not in cache_control
        and "no-cache" not in cache_control
    )


class PublicPageCacheMiddleware:
    """Serves and stores the pages marked with `cache_public_page`, for anonymous visitors.

    Sits right below SecurityMiddleware and WhiteNoise: a hit returns before sessions, locale,
    CSRF, authentication, messages, allauth and MFA run, with the headers the full stack gave
    the page when it was stored (SecurityMiddleware still adds its own on every response).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method not in ("GET", "HEAD") or not _anonymous(request):
            return self.get_response(request)
        language = translation.get_language_from_path(request.path_info) or (settings.LANGUAGE_CODE)
        params = _public_page_params(request.path_info, language)
        if params is None:
            return self.get_response(request)
        request.get_host()  # ALLOWED_HOSTS, checked before anything is served
        keep_only_params(request, params)
        key = page_cache_key(language, request.get_full_path())
        found = cache.get_many([VERSION_KEY, key])
        version = found.get(VERSION_KEY) or _first_version()
        entry = found.get(key)
        if entry is not None and entry[0] == version:
            return self._replay(request, entry[1], entry[2])
        response = self.get_response(request)
        if _storable(request, response):
            headers = {
                name: value
                for name, value in response.items()
                if name.lower() not in UNSTORED_HEADERS
            }
            cache.set(key, (version, response.content, headers), PAGE_TIMEOUT)
            response["X-Cache"] = "miss"
        return response

    @staticmethod
    def _replay(request: HttpRequest, content: bytes, headers: dict[str, str]) -> HttpResponse:
        response = HttpResponse(content, headers=headers)
        response["X-Cache"] = "hit"
        etag = headers.get("ETag")
        if etag and request.method == "GET":
            return get_conditional_response(request, etag=etag, response=response)
        return response


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


class RequestCacheMiddleware:
    """Wraps the rest of the request in `request_cache`: the content versions are read once,
    and for a logged-in person together with their entries (`PERSON_PREFETCH`: the work menu's
    facts, the MFA check) in the same round trip. Below AuthenticationMiddleware."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        def prefetch() -> list[str]:
            user = getattr(request, "user", None)
            if user is None or not user.is_authenticated:
                return []
            key = person_key(user)
            return [f"{prefix}:{key}" for prefix in PERSON_PREFETCH]

        with request_cache(prefetch):
            return self.get_response(request)
