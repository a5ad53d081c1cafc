"""Passkeys (issue 18): a member adds a passkey in Chromium with a virtual authenticator (the
DevTools protocol's WebAuthn domain), then logs in with it alone; a password login afterwards
asks for the passkey as the second factor."""

from __future__ import annotations

import pytest

from .helpers import log_in, role_user_create

pytestmark = pytest.mark.e2e


def _virtual_authenticator(page) -> None:
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )
    page.cdp = cdp  # keep the session (and its authenticator) alive with the page


def _log_out(page) -> None:
    with page.expect_navigation():
        page.locator(".site-tools form[action*='logout'] button").click()


def test_a_passkey_is_added_and_then_logs_in_by_itself(server, new_page, screenshot):
    from allauth.mfa.models import Authenticator

    from lov_portal.accounts.models import User

    email, password = role_user_create(role="member")
    page = new_page(fresh=True)
    _virtual_authenticator(page)
    log_in(page, email=email, password=password)

    page.goto("/konto/2fa/webauthn/add/")
    if "reauthenticate" in page.url:  # adding a key asks for the password again
        page.locator("input[name=password]").fill(password)
        with page.expect_navigation():
            page.locator("main form button[type=submit]").first.click()
    page.locator("input[name=name]").fill("Min telefon")
    passwordless = page.locator("input[name=passwordless]")
    if passwordless.count():
        passwordless.check()
    screenshot(page, "passkey-1-add")
    with page.expect_navigation():
        page.locator("#mfa_webauthn_add").click()
    user = User.objects.get(email=email)
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.WEBAUTHN).exists()
    assert not page.console_errors, page.console_errors

    _log_out(page)
    page.goto("/konto/login/")
    screenshot(page, "passkey-2-login")
    with page.expect_navigation():
        page.locator("#passkey_login").click()
    page.locator(".site-tools form[action*='logout'] button").wait_for()
    assert not page.console_errors, page.console_errors

    # With a passkey as second factor, a password login asks for it.
    _log_out(page)
    page.goto("/konto/login/")
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(password)
    with page.expect_navigation():
        page.locator("form.login-form button[type=submit]").click()
    assert "/2fa/" in page.url, page.url
    screenshot(page, "passkey-3-second-factor")
    with page.expect_navigation():
        page.get_by_role("button", name="Använd en säkerhetsnyckel").or_(
            page.locator("#mfa_webauthn_authenticate")
        ).first.click()
    page.locator(".site-tools form[action*='logout'] button").wait_for()
