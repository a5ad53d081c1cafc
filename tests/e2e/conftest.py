"""Browser tests: one headless Chromium per test session, driven by Playwright.

Debian's Chromium is used (`playwright install` cannot download browsers here). The live server
runs in a thread of this process; the browser talks to it over HTTP like any visitor.
"""

from __future__ import annotations

import importlib
import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.core.cache import cache

from .helpers import (
    AXE_ROUTE,
    AXE_SCRIPT,
    TOTP_CLOCK,
    VIEWPORTS,
    E2EServer,
    TotpClock,
)

# Playwright's sync API keeps an asyncio event loop running in the test's thread. Django would
# then refuse every ORM call made by the test itself (creating users, checking what the live
# server stored) with SynchronousOnlyOperation. The calls are in fact synchronous and run in a
# thread of their own, so it is safe to tell Django so. The live server runs in another thread
# and is not affected either way.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield chromium
    chromium.close()
    playwright.stop()


def _route_axe(context: object, base_url: str) -> None:
    # axe is served from the site's own origin (a URL only the browser sees) so the page's
    # Content-Security-Policy (script-src 'self') stays fully in force during the scans.
    context.route(
        f"{base_url}{AXE_ROUTE}",
        lambda route: route.fulfill(path=AXE_SCRIPT, content_type="text/javascript"),
    )


@pytest.fixture(scope="module", autouse=True)
def _totp_clock() -> Iterator[TotpClock]:
    """allauth's TOTP check reads TOTP_CLOCK (helpers.py) during each e2e module, so a test
    that needs the next 30-second window's code moves the clock on instead of sleeping.

    Patched here only: the tests' own codes come from the same clock, and tests outside
    tests/e2e see allauth as it is. Each module starts in a new window (no code of it used)."""
    from allauth.mfa.totp.internal import auth

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(auth, "time", TOTP_CLOCK)
        TOTP_CLOCK.next_window()
        # allauth must really read the clock (an upgrade could read another), and accept only
        # the clock's own window (MFA_TOTP_TOLERANCE 0, as the portal's settings say).
        assert list(auth.yield_hotp_counters_from_time()) == [TOTP_CLOCK.counter()]
        yield TOTP_CLOCK


@pytest.fixture(scope="module")
def _role_contexts(browser: object) -> Iterator[dict[tuple[str, ...], object]]:
    """Logged-in contexts a module reuses (`logged_in_as(..., reuse=True)`), one per role,
    viewport and language; closed after the module."""
    contexts: dict[tuple[str, ...], object] = {}
    yield contexts
    for context in contexts.values():
        context.close()


@pytest.fixture(scope="session")
def _shared_contexts(browser: object) -> Iterator[dict[tuple[str, str], object]]:
    """Anonymous contexts reused across tests, one per (live server, viewport)."""
    contexts: dict[tuple[str, str], object] = {}
    yield contexts
    for context in contexts.values():
        context.close()


def _migration_data_restore() -> None:
    """Put back what data migrations create (the municipalities): a transactional test's flush
    removes it, and --reuse-db would otherwise hand the next run an empty table."""
    from django.apps import apps

    migration = importlib.import_module(
        "organisations.migrations.0002_vasternorrland_municipalities"
    )
    migration.add_municipalities(apps, None)


@pytest.fixture(scope="session", autouse=True)
def _restore_migration_data_after_e2e(
    django_db_setup: None, django_db_blocker: object
) -> Iterator[None]:
    yield
    with django_db_blocker.unblock():
        _migration_data_restore()


@pytest.fixture(scope="session", autouse=True)
def _celery_is_eager() -> None:
    """The live server runs tasks in its own process (tests/conftest.py makes Celery eager even
    when REDIS_URL names a broker): the report journey needs that, so check it here."""
    from lov_portal.celery import app

    assert app.conf.task_always_eager, "Celery must be eager in the browser tests"


def e2e_data_create() -> object:
    """The real LÖV agreement and a little demo data (needs database access)."""
    from agreements.models import Agreement
    from lov_portal.portal.demo import demo_create
    from lov_portal.portal.lov_source import load_source
    from lov_portal.portal.services import lov_load

    cache.clear()  # allauth's rate limits live in the cache
    _migration_data_restore()
    lov_load(parsed=load_source())
    agreement = Agreement.objects.get(slug="lov")
    demo_create(agreement=agreement, organisations=6)
    return agreement


def e2e_data_remove() -> None:
    """Empty the database as a transactional test's teardown does, and put the migration
    data back."""
    from django.core.management import call_command

    call_command("flush", verbosity=0, interactive=False)
    _migration_data_restore()


@pytest.fixture
def e2e_data(transactional_db: None) -> object:
    """The real LÖV agreement and a little demo data, committed so the live server sees them
    (created for each test; the database is emptied after it)."""
    return e2e_data_create()


@pytest.fixture
def server(live_server: object, e2e_data: object) -> E2EServer:
    return E2EServer(base_url=live_server.url)


@pytest.fixture
def simulator(settings: object) -> Iterator[object]:
    """The BankID simulator, served to the live server, approving every order after three
    seconds (time for the page to show the QR code and poll)."""
    from lov_portal.bankid.simulator import Simulator
    from tests.bankid.fixtures import serve_for_the_portal

    yield from serve_for_the_portal(Simulator(auto_complete=3), settings)


@pytest.fixture
def new_page(
    browser: object, server: E2EServer, _shared_contexts: dict
) -> Iterator[Callable[..., object]]:
    """`new_page(viewport="desktop", fresh=False)`: a page on the live server.

    Anonymous pages share one context per viewport (cookies cleared between tests); pass
    fresh=True for a context of its own (needed to log in, or for other context options; closed
    after the test unless keep=True, when the caller closes it), or context= to open the page in
    such a kept context.
    """
    opened: list[object] = []
    fresh_contexts: list[object] = []

    def context_new(viewport: str, **options: object) -> object:
        width, height, scale = VIEWPORTS[viewport]
        context = browser.new_context(
            base_url=server.base_url,
            viewport={"width": width, "height": height},
            device_scale_factor=scale,
            **options,
        )
        _route_axe(context, server.base_url)
        return context

    def make(
        viewport: str = "desktop",
        *,
        fresh: bool = False,
        keep: bool = False,
        context: object | None = None,
        **options: object,
    ) -> object:
        if context is None and (fresh or keep or options):
            context = context_new(viewport, **options)
            if not keep:
                fresh_contexts.append(context)
        elif context is None:
            key = (server.base_url, viewport)
            context = _shared_contexts.get(key)
            if context is None:
                context = _shared_contexts[key] = context_new(viewport)
        context.set_default_timeout(10_000)
        page = context.new_page()
        page.console_errors = []
        page.on(
            "console",
            lambda msg: page.console_errors.append(msg.text) if msg.type == "error" else None,
        )
        opened.append(page)
        return page

    yield make
    for page in opened:
        page.close()
    for context in fresh_contexts:
        context.close()
    for context in _shared_contexts.values():
        context.clear_cookies()


@pytest.fixture
def screenshot() -> Callable[[object, str], Path]:
    """`screenshot(page, "name")` saves a full-page PNG under artifacts/screenshots/."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(page: object, name: str) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture
def logged_in_as(
    new_page: Callable[..., object], _role_contexts: dict[tuple[str, ...], object]
) -> Callable[..., object]:
    """`logged_in_as("staff", viewport="desktop")`: a page logged in through the real form.

    With reuse=True the role logs in once for the module: later calls open a new page in the
    same logged-in context. Only for tests that leave the session as they found it (no logout,
    no change of the user's password, second factors or language) and with data shared by the
    module (module_data.py): a context logged in on one test's data would be stale on the next.
    """
    from .helpers import log_in, role_user_create

    def make(
        role: str, *, viewport: str = "desktop", language: str = "sv", reuse: bool = False
    ) -> object:
        key = (role, viewport, language)
        if reuse and key in _role_contexts:
            return new_page(viewport, context=_role_contexts[key])
        reuse = reuse and role != "anonymous"
        page = new_page(viewport, fresh=True, keep=reuse)
        if role == "anonymous":
            return page
        email, password = role_user_create(role=role)
        try:
            log_in(page, email=email, password=password, language=language)
        except BaseException:
            if reuse:  # never kept half logged in
                page.context.close()
            raise
        if reuse:
            _role_contexts[key] = page.context
        return page

    return make
