"""Journey: a visitor reports an accessibility problem from the page where they met it."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from .helpers import axe_report, axe_run

pytestmark = pytest.mark.e2e


def test_visitor_reports_a_problem_with_the_keyboard_and_staff_are_emailed(
    new_page, screenshot, settings
):
    from lov_portal.portal.models import AccessibilityReport

    settings.PORTAL_CONTACT_EMAIL = "kansliet@example.se"
    page = new_page()
    page.goto("/overenskommelsen/")
    page.get_by_role("link", name="Rapportera ett tillgänglighetsproblem").click()
    page.wait_for_url(re.compile(r"/tillganglighet/\?sida=/overenskommelsen/#rapportera$"))
    assert page.locator("#id_page_url").input_value() == "/overenskommelsen/"

    # First try without a description: the error is announced and linked.
    with page.expect_navigation():
        page.locator("form.report-form button[type=submit]").click()
    assert page.evaluate("() => document.activeElement.hasAttribute('data-error-summary')")
    assert page.locator("#id_description").get_attribute("aria-invalid") == "true"
    assert page.locator("#id_page_url").input_value() == "/overenskommelsen/"
    violations = axe_run(page)
    assert not violations, axe_report(violations, where="report form with errors")

    # Follow the summary's link to the field and type, with the keyboard only.
    page.locator("[data-error-summary] a[href='#id_description']").focus()
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "id_description"
    page.keyboard.type("Tabellen med åtaganden går inte att läsa med skärmförstoring.")
    page.locator("#id_email").focus()
    page.keyboard.type("alva@example.se")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/tillganglighet/$"))

    status = page.get_by_role("status")
    assert "Tack! Din rapport har skickats" in status.inner_text()
    screenshot(page, "report-sent-sv")
    report = AccessibilityReport.objects.get()
    assert report.page_url == "/overenskommelsen/"
    assert report.email == "alva@example.se"
    # Only the report's e-mail (other mail of the live server's data may be in the outbox).
    reports = [m for m in mail.outbox if "skärmförstoring" in m.body]
    assert [m.to for m in reports] == [["kansliet@example.se"]]
