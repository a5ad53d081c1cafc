"""Signing with BankID in Chromium against the simulator, which approves every order after
three seconds: the form, the animated QR code, htmx polling under the strict CSP, and the
signature in the register with its BankID evidence."""

from __future__ import annotations

import pytest

from .helpers import DEMO_DOMAIN, axe_report, axe_run

pytestmark = pytest.mark.e2e


def test_a_signatory_signs_with_bankid_and_the_page_follows_the_order(
    server, simulator, logged_in_as, screenshot
):
    from agreements.models import BankIDEvidence, Signature
    from lov_portal.accounts.models import User
    from organisations.models import MembershipRole
    from tests.organisations.factories import MembershipFactory, valid_organisation_number

    user = User.objects.get(email=f"firmatecknare@{DEMO_DOMAIN}")
    organisation = MembershipFactory(
        role=MembershipRole.SIGNATORY,
        user=user,
        organisation__name="BankID-föreningen i Ånge",
        organisation__slug="bankid-foreningen",
        organisation__organisation_number=valid_organisation_number(918_273, prefix="889"),
    ).organisation
    page = logged_in_as("signatory")
    page.goto(f"/organisationer/{organisation.slug}/underteckna/")
    form = page.get_by_role("region", name="Underteckna med BankID")
    form.get_by_label("Din titel eller roll").fill("Ordförande")
    form.get_by_label("Jag är firmatecknare för organisationen.").check()
    form.get_by_label("Jag intygar att jag är behörig").check()
    with page.expect_navigation():
        form.get_by_role("button", name="Skriv under med BankID").click()
    assert "/underteckna/bankid/" in page.url, page.url

    qr = page.locator(".bankid-qr__code path")
    first = qr.get_attribute("d")
    page.wait_for_function(
        "(d) => document.querySelector('.bankid-qr__code path').getAttribute('d') !== d",
        arg=first,
        timeout=5_000,
    )  # the code changes every second
    assert (
        page.get_by_role("link", name="Öppna BankID på den här enheten")
        .get_attribute("href")
        .startswith("bankid:///?autostarttoken=")
    )
    violations = axe_run(page)
    screenshot(page, "journey-bankid-1-qr")

    page.wait_for_url(f"**/organisationer/{organisation.slug}/underskrift/", timeout=15_000)
    screenshot(page, "journey-bankid-2-signed")
    assert "med BankID" in page.locator("main").inner_text()
    signature = Signature.objects.get(organisation=organisation)
    assert signature.method == "bankid"
    assert BankIDEvidence.objects.filter(signature=signature).exists()
    # The strict CSP reports any inline script or style as a console error.
    assert not page.console_errors, page.console_errors
    assert not violations, axe_report(violations, where="the BankID page")
