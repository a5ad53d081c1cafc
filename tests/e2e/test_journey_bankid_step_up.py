"""Justering confirmed with the checker's linked BankID in Chromium: the re-authentication page
offers BankID, the QR page polls under the strict CSP, and the simulator's approval (after
three seconds, as the linked person) carries the suspended answer through."""

from __future__ import annotations

import pytest

from .helpers import DEMO_DOMAIN, axe_report, axe_run

pytestmark = pytest.mark.e2e


def test_a_checker_confirms_justering_with_their_linked_bankid(
    server, simulator, logged_in_as, screenshot
):
    from lov_portal.accounts.models import User
    from lov_portal.accounts.services import bankid_link
    from lov_portal.bankid.simulator import TEST_PERSON
    from meetings import services
    from meetings.models import Meeting, MinutesApproval

    def demo(local: str) -> User:
        return User.objects.get(email=f"{local}@{DEMO_DOMAIN}")

    checker = demo("justerare1")
    meeting = Meeting.objects.filter(minutes__isnull=True).order_by("starts_at").first()
    minutes = services.minutes_create(meeting=meeting)
    services.minutes_header_update(
        minutes=minutes, chair=demo("ordforande"), secretary=demo("sekreterare"), checkers=[checker]
    )
    services.minutes_item_create(
        minutes=minutes, heading="Punkt 1", notes="Diskussion.", decision="Beslutades."
    )
    services.minutes_send_for_approval(minutes=minutes, by=demo("sekreterare"))
    bankid_link(user=checker, personal_number=TEST_PERSON["personalNumber"], name="Testa Testsson")

    page = logged_in_as("checker1")
    page.goto(f"/moten/{meeting.pk}/protokoll/")
    page.get_by_role("link", name="Justera protokollet").click()
    page.get_by_label("Jag justerar protokollet").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Skicka svaret").click()
    assert "reauthenticate" in page.url, page.url
    with page.expect_navigation():
        page.get_by_role("link", name="Legitimera med BankID").click()
    with page.expect_navigation():
        page.get_by_role("button", name="Legitimera med BankID").click()
    assert "/konto/bankid/order/" in page.url, page.url
    page.locator(".bankid-qr__code path").wait_for()
    violations = axe_run(page)
    screenshot(page, "journey-bankid-step-up-1-qr")

    page.wait_for_url(f"**/moten/{meeting.pk}/protokoll/", timeout=15_000)
    screenshot(page, "journey-bankid-step-up-2-approved")
    assert MinutesApproval.objects.filter(revision__minutes=minutes, user=checker).exists()
    assert not page.console_errors, page.console_errors
    assert not violations, axe_report(violations, where="the BankID step-up page")
