"""The commitments forms' error states in a real browser (issue 17): the site-wide error
summary is announced and focused, its links lead to the fields, and axe finds nothing: after
the dashboard's htmx post and on a management form without JavaScript's help."""

import pytest

from .helpers import assert_focus_kept, axe_report, axe_run

# Both forms fail, so nothing is saved (the first test checks that), and staff log in once
# for the module: one data set for the module (module_data.py).
from .module_data import e2e_data, module_e2e_data, transactional_db  # noqa: F401

pytestmark = [pytest.mark.e2e]


def test_the_dashboards_htmx_errors_focus_the_error_summary(server, logged_in_as, screenshot):
    from commitments.models import StatusUpdate

    page = logged_in_as("staff", reuse=True)
    page.goto("/uppfoljning/")
    before = StatusUpdate.objects.count()
    page.select_option("#update-form select[name=commitment]", index=1)
    page.fill("#update-form textarea[name=links]", "inte en länk")
    page.click("#update-form button[type=submit]")
    page.wait_for_selector("#update-form [data-error-summary]")
    assert_focus_kept(page, inside="#update-form")
    assert page.evaluate("() => document.activeElement.hasAttribute('data-error-summary')")
    page.locator("#update-form [data-error-summary] a[href='#id_links']").click()
    assert page.evaluate("() => document.activeElement.id") == "id_links"
    assert page.locator("#id_links").get_attribute("aria-describedby") == "id_links_error"
    screenshot(page, "commitments-dashboard-update-errors")
    violations = axe_run(page)
    assert not violations, axe_report(violations, where=page.url)
    assert StatusUpdate.objects.count() == before


def test_a_management_form_with_errors_starts_from_the_error_summary(
    server, logged_in_as, screenshot
):
    page = logged_in_as("staff", reuse=True)
    page.goto("/uppfoljning/ataganden/ny/")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert page.evaluate("() => document.activeElement.hasAttribute('data-error-summary')")
    assert page.locator("[data-error-summary] a[href='#id_text']").count() == 1
    assert page.locator("#id_text").get_attribute("aria-invalid") == "true"
    screenshot(page, "commitments-manage-form-errors")
    violations = axe_run(page)
    assert not violations, axe_report(violations, where=page.url)
