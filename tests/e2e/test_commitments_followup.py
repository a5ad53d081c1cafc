"""The follow-up pages in a real browser: charts render, the htmx update form posts and moves
focus to the result. Skipped unless Chromium and Playwright for Python are installed."""

import pytest

playwright = pytest.importorskip("playwright.sync_api")

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def _restore_migration_data(django_db_setup, django_db_blocker):
    """A transactional test ends with a flush, which also removes rows that data migrations
    wrote. Put them back at the end of the session so a reused test database (--reuse-db)
    is complete for the next run."""
    yield
    import importlib

    from django.apps import apps

    migration = importlib.import_module(
        "organisations.migrations.0002_vasternorrland_municipalities"
    )
    with django_db_blocker.unblock():
        migration.add_municipalities(apps, None)


def test_charts_render_and_the_dashboard_form_posts_with_htmx(
    _restore_migration_data, live_server, lov, monkeypatch
):
    from allauth.account.models import EmailAddress

    from commitments.models import StatusUpdate
    from tests.accounts.factories import UserFactory

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    staff = UserFactory(email="kansli@example.se", staff=True)
    EmailAddress.objects.create(user=staff, email=staff.email, verified=True, primary=True)

    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        page = browser.new_page()
        page.goto(f"{live_server.url}/ataganden/")
        public_width = page.evaluate(
            "document.querySelector('#chart-status-public').getBoundingClientRect().width"
        )
        page.goto(f"{live_server.url}/konto/login/")
        page.fill("input[name=login]", staff.email)
        page.fill("input[name=password]", "korrekt-hast-batteri")
        page.click("button[type=submit]")
        page.goto(f"{live_server.url}/uppfoljning/")
        chart_width = page.evaluate(
            "document.querySelector('#chart-updates').getBoundingClientRect().width"
        )
        page.select_option("#update-form select[name=commitment]", index=1)
        page.select_option("#update-form select[name=status]", "achieved")
        page.click("#update-form button[type=submit]")
        page.wait_for_selector("#update-form .message--success")
        focused = page.evaluate("document.activeElement.classList.contains('message--success')")
        url = page.url
        browser.close()

    assert public_width > 100 and chart_width > 100
    assert focused
    assert url.endswith("/uppfoljning/")
    assert StatusUpdate.objects.get().status == "achieved"
