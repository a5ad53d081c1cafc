"""Shared fixtures and the rules for tests that need PostgreSQL, Redis or a browser."""

from __future__ import annotations

import copy
import shutil

import pytest
from django.conf import settings


def pytest_configure(config: pytest.Config) -> None:
    # Tasks run in-process in tests, even when REDIS_URL points Celery at a real broker;
    # tests of the broker itself switch this off for their own duration.
    from lov_portal.celery import app

    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True


@pytest.fixture
def eager_tasks():
    """Run Celery tasks in-process for this test even if an earlier one switched it off (tests
    of the broker do, for their own duration)."""
    from lov_portal.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    skip_pg = pytest.mark.skip(reason="needs PostgreSQL: set DATABASE_URL=postgres://...")
    skip_redis = pytest.mark.skip(reason="needs Redis: set REDIS_URL=redis://...")
    skip_browser = pytest.mark.skip(
        reason="needs Chromium: apt-get install chromium chromium-driver"
    )
    for item in items:
        if "postgres" in item.keywords and not settings.USING_POSTGRES:
            item.add_marker(skip_pg)
        if "redis" in item.keywords and not settings.REDIS_URL:
            item.add_marker(skip_redis)
        if "e2e" in item.keywords and not shutil.which("chromium"):
            item.add_marker(skip_browser)


@pytest.fixture(scope="session", autouse=True)
def _frozen_tables_can_be_flushed() -> None:
    """SQLite flushes with DELETE, which the frozen-record triggers refuse: lift them for the
    flush between transactional tests (PostgreSQL truncates, which row triggers never see)."""
    from django.db import connection

    from lov_portal.core import triggers

    if connection.vendor != "sqlite":
        yield
        return
    operations = type(connection.ops)
    original = operations.execute_sql_flush

    def execute_sql_flush(self: object, sql_list: list[str]) -> None:
        triggers.uninstall(self.connection.alias)
        try:
            original(self, sql_list)
        finally:
            triggers.install(self.connection.alias)

    operations.execute_sql_flush = execute_sql_flush
    yield
    operations.execute_sql_flush = original


def isolated_settings(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """Fast hashing, in-memory e-mail and private media (also for data made outside a test)."""
    return {
        "PASSWORD_HASHERS": ["django.contrib.auth.hashers.MD5PasswordHasher"],
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "MEDIA_ROOT": tmp_path_factory.mktemp("media"),
        "STORAGES": {
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
    }


@pytest.fixture(autouse=True)
def _isolated_settings(settings: object, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Every test gets fast hashing, in-memory e-mail, eager tasks and private media."""
    for name, value in isolated_settings(tmp_path_factory).items():
        setattr(settings, name, value)


@pytest.fixture(autouse=True)
def _swedish_by_default():
    """Every test starts in Swedish, whatever language an earlier test activated."""
    from django.utils import translation

    translation.activate("sv")
    yield
    translation.activate("sv")


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    """Each test starts with an empty cache (pages, rate limits, the public content version)."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def lov(db: None):
    """The LÖV agreement loaded from its text, as `make run` loads it."""
    from agreements.models import Agreement
    from lov_portal.portal.lov_source import load_source
    from lov_portal.portal.services import lov_load

    lov_load(parsed=load_source())
    return Agreement.objects.get(slug="lov")


@pytest.fixture
def world(db: None):
    """Users in every role of the permissions matrix (tests/permissions.py)."""
    from tests.permissions import build_world

    return build_world()


def _built_once_per_module(django_db_blocker, tmp_path_factory, build):
    """Data for every test of a module, built once inside a transaction that is rolled back when
    the module ends, as Django's `setUpTestData` does: each test's own transaction is a savepoint
    inside it, so what a test writes is gone for the next. Only for modules without
    transactional tests (they would run inside the open transaction)."""
    from django.db import transaction
    from django.test import override_settings

    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
    try:
        with django_db_blocker.unblock(), override_settings(**isolated_settings(tmp_path_factory)):
            built = build()
        yield built
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture(scope="module")
def _module_world(django_db_setup, django_db_blocker, tmp_path_factory):
    """The permissions matrix's world, built once per test module (the matrix runs hundreds of
    cases on the same world)."""
    from tests.permissions import build_world

    yield from _built_once_per_module(django_db_blocker, tmp_path_factory, build_world)


@pytest.fixture
def matrix_world(_module_world, db: None):
    """`world` for the permissions matrix (tests/permissions.py): the module's world, copied for
    this test so that nothing one case changes in memory (`world.extra`, a user's fields) is seen
    by the next; the rows are in the database already (`_module_world`)."""
    return copy.deepcopy(_module_world)


@pytest.fixture(scope="module")
def _module_lov(django_db_setup, django_db_blocker, tmp_path_factory):
    """The LÖV agreement loaded once per test module (its primary key)."""
    from lov_portal.portal.lov_source import load_source
    from lov_portal.portal.services import lov_load

    def build() -> int:
        lov_load(parsed=load_source())
        from agreements.models import Agreement

        return Agreement.objects.get(slug="lov").pk

    yield from _built_once_per_module(django_db_blocker, tmp_path_factory, build)


@pytest.fixture
def module_lov(_module_lov, db: None):
    """`lov` for a module of many tests that only read it (no transactional tests in it)."""
    from agreements.models import Agreement

    return Agreement.objects.get(pk=_module_lov)
