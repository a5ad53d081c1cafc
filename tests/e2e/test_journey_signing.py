"""Journey 1 of issue 7: an organisation signs up, verifies its e-mail, applies in three steps,
is approved by staff, sets up two-step verification, signs the agreement, and is found by
searching the public register. Everything through the interface, with clicks and typing."""

from __future__ import annotations

import re

import pytest

from .helpers import (
    application_step_1,
    application_step_2,
    axe_report,
    axe_run,
    fresh_totp_code,
)

pytestmark = pytest.mark.e2e

EMAIL = "ordforande@foreningen-e2e.example.se"
PASSWORD = "ett-langt-och-unikt-e2e-losenord"
ORG_NAME = "Föreningen Klarälv E2E"


def test_an_organisation_signs_up_applies_is_approved_signs_and_is_found(
    server, new_page, logged_in_as, screenshot, settings
):
    # The page offers BankID and the password; this person signs with the password
    # (test_journey_bankid.py signs with BankID).
    settings.LOV_BANKID_URL = "http://127.0.0.1:8199/rp/v6.0/"
    settings.LOV_SIGNING_METHODS = ["bankid", "password"]
    from django.core import mail

    from lov_portal.portal.demo import organisation_number
    from organisations.models import Organisation

    page = new_page(fresh=True)
    violations = []

    # Sign up and verify the e-mail address with the link from the e-mail.
    page.goto("/konto/signup/")
    page.locator("input[name=email]").fill(EMAIL)
    page.locator("input[name=password1]").fill(PASSWORD)
    page.locator("input[name=password2]").fill(PASSWORD)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    screenshot(page, "journey-signing-1-verification-sent")
    message = next(m for m in reversed(mail.outbox) if EMAIL in m.to)
    link = re.search(r"https?://[^\s]+/konto/confirm-email/[^\s]+", message.body).group(0)
    page.goto(re.sub(r"^https?://[^/]+", "", link))
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    page.locator(".site-tools form[action*='logout'] button").wait_for()

    # Apply: the organisation, the contact person, the conditions.
    page.goto("/organisationer/")
    page.get_by_role("link", name="Ansök om att underteckna för en organisation").click()
    application_step_1(
        page,
        name=ORG_NAME,
        number=organisation_number("802", 424242),
        municipality="Kramfors",
        description="En förening för friluftsliv längs älven.",
    )
    screenshot(page, "journey-signing-2-apply-step-1")
    application_step_2(page, contact="Ylva Ordförande")
    violations += axe_run(page)
    screenshot(page, "journey-signing-3-apply-step-3")
    with page.expect_navigation():
        page.get_by_role("button", name="Skicka ansökan").click()
    organisation = Organisation.objects.get(name=ORG_NAME)
    assert organisation.status == "applied"

    # Staff approve it in the review queue.
    staff = logged_in_as("staff")
    staff.goto("/organisationer/granskning/")
    staff.get_by_role("link", name=ORG_NAME).click()
    staff.get_by_label("Godkänn ansökan").check()
    screenshot(staff, "journey-signing-4-review")
    with staff.expect_navigation():
        staff.get_by_role("button", name="Spara beslut och meddela sökanden").click()
    organisation.refresh_from_db()
    assert organisation.status == "approved"

    # The applicant signs: the signing page first asks for two-step verification.
    page.goto(f"/organisationer/{organisation.slug}/underteckna/")
    if "reauthenticate" in page.url:  # setting up TOTP asks for the password again first
        screenshot(page, "journey-signing-5-reauthenticate")
        page.locator("input[name=password]").fill(PASSWORD)
        with page.expect_navigation():
            page.locator("main form button[type=submit]").last.click()
    assert "/2fa/totp/activate/" in page.url, page.url
    secret = page.locator("#authenticator_secret").input_value()
    used: set[str] = set()
    screenshot(page, "journey-signing-5-totp")
    page.locator("input[name=code]").fill(fresh_totp_code(secret, used))
    with page.expect_navigation():
        page.locator("main form button[type=submit]").last.click()
    if "/underteckna/" not in page.url:
        page.goto(f"/organisationer/{organisation.slug}/underteckna/")
    form = page.get_by_role("region", name="Underteckna med lösenord och tvåstegsverifiering")
    form.get_by_label("Din titel eller roll").fill("Ordförande")
    form.get_by_label("Jag är firmatecknare för organisationen.").check()
    form.get_by_label("Jag intygar att jag är behörig").check()
    violations += axe_run(page)
    screenshot(page, "journey-signing-6-sign")
    with page.expect_navigation():
        page.get_by_role("button", name="Underteckna överenskommelsen").click()
    if "reauthenticate" in page.url:  # allauth asks again before the signature is saved
        screenshot(page, "journey-signing-7-reauthenticate")
        if page.locator("input[name=code]").count():
            page.locator("input[name=code]").fill(fresh_totp_code(secret, used))
        else:
            page.locator("input[name=password]").fill(PASSWORD)
        with page.expect_navigation():
            page.locator("main form button[type=submit]").last.click()
    screenshot(page, "journey-signing-8-signed")
    assert organisation.signatures.count() == 1

    # The public finds it in the register.
    public = new_page()
    public.goto("/undertecknare/")
    public.get_by_label("Sök bland undertecknarna").fill("Klarälv")
    with public.expect_navigation():
        public.get_by_role("button", name="Sök", exact=True).click()
    screenshot(public, "journey-signing-9-register")
    public.get_by_role("link", name=ORG_NAME).click()
    assert ORG_NAME in public.locator("h1").inner_text()
    assert not violations, axe_report(violations, where="the application and signing forms")
