"""PublicPageCacheMiddleware: cached anonymous pages are answered before the rest of the stack,
in one cache round trip; logged-in users, sessions and pending messages never touch the cache."""

import pytest
from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.test import RequestFactory

from lov_portal.core import cache as page_cache
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db

REGISTER = "/undertecknare/"


def _prime(client, url: str = "/"):
    first = client.get(url)
    assert first.headers["X-Cache"] == "miss"
    return first


def test_a_hit_runs_none_of_the_middleware_below_and_no_query(
    client, lov, django_assert_num_queries
):
    _prime(client)
    with django_assert_num_queries(0):
        hit = client.get("/")
    assert hit.headers["X-Cache"] == "hit"
    # SessionMiddleware and AuthenticationMiddleware never saw the request.
    assert not hasattr(hit.wsgi_request, "session")
    assert not hasattr(hit.wsgi_request, "user")


def test_a_hit_is_one_cache_round_trip(client, lov, monkeypatch):
    _prime(client, REGISTER)
    calls, inside = [], []

    def counting(name, original):
        def call(*args, **kwargs):
            if not inside:  # LocMemCache.get_many calls get itself: count the outer call only
                calls.append(name)
            inside.append(name)
            try:
                return original(*args, **kwargs)
            finally:
                inside.pop()

        return call

    for name in ("get", "get_many", "set", "add", "set_many"):
        monkeypatch.setattr(cache, name, counting(name, getattr(cache, name)))
    assert client.get(REGISTER).headers["X-Cache"] == "hit"
    assert calls == ["get_many"]


def test_a_hit_carries_the_stored_headers_and_etag(client, lov):
    miss = _prime(client, "/en/")
    hit = client.get("/en/")
    assert hit.headers["X-Cache"] == "hit"
    assert hit.content == miss.content
    for header in (
        "Content-Type",
        "Content-Language",
        "Content-Security-Policy",
        "X-Frame-Options",
        "Cache-Control",
        "ETag",
        "Vary",
    ):
        assert hit.headers[header] == miss.headers[header], header
    # SecurityMiddleware sits above the cache and still adds its headers to every answer.
    assert hit.headers["X-Content-Type-Options"] == "nosniff"
    assert hit.headers["Content-Language"] == "en"
    assert "public" in hit.headers["Cache-Control"]


def test_a_hit_answers_304_to_its_etag(client, lov):
    etag = _prime(client).headers["ETag"]
    not_modified = client.get("/", HTTP_IF_NONE_MATCH=etag)
    assert not_modified.status_code == 304
    assert not_modified.content == b""
    assert client.get("/", HTTP_IF_NONE_MATCH='"other"').status_code == 200


def test_logged_in_responses_are_never_served_from_or_stored_in_the_shared_cache(client, lov):
    _prime(client)
    user = UserFactory(email="inloggad@example.se")
    client.force_login(user)
    for url in ("/", REGISTER, "/en/"):
        response = client.get(url)
        assert response.status_code == 200
        assert "X-Cache" not in response.headers, url
        assert "private" in response.headers["Cache-Control"]
        assert "public" not in response.headers["Cache-Control"]
        assert hasattr(response.wsgi_request, "session")
        assert response.wsgi_request.user == user
    # The register and the English home page were rendered for the logged-in user only: an
    # anonymous visitor gets them rendered afresh, not the logged-in user's copy.
    client.logout()
    client.cookies.clear()
    for url in (REGISTER, "/en/"):
        anonymous = client.get(url)
        assert anonymous.headers["X-Cache"] == "miss", url
        assert "inloggad@example.se" not in anonymous.content.decode()


def test_a_session_cookie_bypasses_the_cache_even_an_unknown_one(client, lov):
    _prime(client)
    client.cookies[settings.SESSION_COOKIE_NAME] = "no-such-session"
    response = client.get("/")
    assert "X-Cache" not in response.headers
    assert hasattr(response.wsgi_request, "session")


def test_a_pending_message_bypasses_the_cache(client, lov):
    _prime(client)
    client.cookies["messages"] = "anything"
    response = client.get("/")
    assert "X-Cache" not in response.headers
    assert hasattr(response.wsgi_request, "_messages")


def test_an_authorization_header_bypasses_the_cache(client, lov):
    _prime(client)
    response = client.get("/", HTTP_AUTHORIZATION="Bearer something")
    assert "X-Cache" not in response.headers


def test_a_disallowed_host_is_refused_even_for_a_cached_page(client, lov):
    _prime(client)
    assert client.get("/", HTTP_HOST="evil.example.com").status_code == 400


def test_head_is_answered_like_get_from_the_cache_without_a_body(client, lov):
    # HEAD runs as GET inside (HeadAsGetMiddleware, outermost): what is stored is the whole GET
    # response, and the HEAD answer carries its headers only.
    first = client.head(REGISTER)
    assert first.status_code == 200 and first.content == b""
    following = client.get(REGISTER)
    assert following.headers["X-Cache"] == "hit"
    assert b"</html>" in following.content
    assert client.head(REGISTER).headers["X-Cache"] == "hit"


def test_pages_not_marked_public_never_touch_the_cache(client, lov, monkeypatch):
    monkeypatch.setattr(cache, "get_many", lambda *a, **k: pytest.fail("cache read"))
    assert client.get("/konto/login/").status_code == 200
    assert client.get("/finns-inte/").status_code == 404


@pytest.mark.parametrize(
    "spoil",
    [
        lambda response: response.set_cookie("spar", "1"),
        lambda response: response.__setitem__("Cache-Control", "private"),
        lambda response: setattr(response, "status_code", 203),
        lambda response: delattr(response, "public_page"),
    ],
    ids=["sets a cookie", "private", "not 200", "not a marked public page"],
)
def test_responses_that_must_not_be_shared_are_not_stored(lov, spoil):
    rendered = []

    def view(request):
        response = HttpResponse(b"page")
        response.public_page = True
        spoil(response)
        rendered.append(1)
        return response

    middleware = page_cache.PublicPageCacheMiddleware(view)
    for _ in range(2):
        response = middleware(RequestFactory().get("/"))
        assert "X-Cache" not in response.headers
    assert len(rendered) == 2


def test_a_request_with_a_csrf_token_is_not_stored(lov):
    def view(request):
        request.META["CSRF_COOKIE_NEEDS_UPDATE"] = True
        response = HttpResponse(b"<form>token</form>")
        response.public_page = True
        return response

    middleware = page_cache.PublicPageCacheMiddleware(view)
    assert "X-Cache" not in middleware(RequestFactory().get("/")).headers


def test_a_bump_between_read_and_store_leaves_no_stale_hit(client, lov):
    """The entry keeps the version it was rendered under; a later version never matches it."""
    _prime(client, REGISTER)
    page_cache.public_cache_bump()
    assert client.get(REGISTER).headers["X-Cache"] == "miss"
    assert client.get(REGISTER).headers["X-Cache"] == "hit"
