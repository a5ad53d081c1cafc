"""Erasing an account ends its sessions through the session store, so with sessions kept in the
cache (SESSION_ENGINE cached_db, the setting whenever Redis is configured) no cached copy of a
session outlives its database row (decision 74)."""

from importlib import import_module
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from lov_portal.privacy.services import account_anonymise
from tests.accounts.factories import UserFactory
from tests.accounts.test_security import PASSWORD, verified

pytestmark = pytest.mark.django_db

CACHED_DB = "django.contrib.sessions.backends.cached_db"


@pytest.fixture
def cached_sessions(settings):
    settings.SESSION_ENGINE = CACHED_DB
    cache.clear()
    yield
    cache.clear()


def logged_in_device(user) -> Client:
    device = Client()
    response = device.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    device.session["lov_draft"] = "kept in the session"
    assert device.get(reverse("todo")).status_code == 200
    return device


def test_an_erased_account_leaves_no_session_in_the_session_cache(cached_sessions):
    user = verified(UserFactory(email="raderas@example.se"))
    devices = [logged_in_device(user), logged_in_device(user)]
    keys = [device.cookies[settings.SESSION_COOKIE_NAME].value for device in devices]
    store = import_module(settings.SESSION_ENGINE).SessionStore
    assert all(store().exists(key) for key in keys)

    account_anonymise(user=user)

    for key in keys:
        assert not store().exists(key)
        assert store(session_key=key).load() == {}
    for device in devices:
        response = device.get(reverse("todo"))
        assert response.status_code == 302
        assert response.headers["Location"].startswith(reverse("account_login"))


def test_an_erased_account_s_sessions_leave_the_cache_again_after_commit(
    cached_sessions, django_capture_on_commit_callbacks
):
    """A request that read the session row back into the cache before the erasure committed
    must not leave a copy behind."""
    user = verified(UserFactory(email="raderas2@example.se"))
    device = logged_in_device(user)
    key = device.cookies[settings.SESSION_COOKIE_NAME].value
    store = import_module(settings.SESSION_ENGINE).SessionStore
    stale = store(session_key=key).load()
    with django_capture_on_commit_callbacks(execute=True):
        account_anonymise(user=user)
        # Another worker re-reads the row it still sees before commit, and caches it.
        cache.set(store(session_key=key).cache_key, stale)
    assert not store().exists(key)


def test_sessions_live_in_the_cache_when_redis_is_configured():
    expected = CACHED_DB if settings.REDIS_URL else "django.contrib.sessions.backends.db"
    assert expected == settings.SESSION_ENGINE


def test_no_code_deletes_session_rows_behind_the_session_store():
    """`Session.objects...delete()` would leave a cached copy valid (decision 74)."""
    root = Path(__file__).resolve().parents[2]
    offenders = [
        str(path.relative_to(root))
        for path in root.glob("**/*.py")
        if not path.relative_to(root).parts[0].startswith((".", "tests", "var"))
        and "sessions.models import Session" in path.read_text(encoding="utf-8")
    ]
    assert offenders == []
