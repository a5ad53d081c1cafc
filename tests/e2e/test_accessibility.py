"""axe-core on every page, in Swedish and English, on a desktop and a mobile width.

Fails on any violation of the WCAG 2.0/2.1 A and AA rules and prints what to fix. One test per
page and role visits it in every language and width (the data is created once per test, which
is what takes the time); pages of logged-in roles are scanned on the desktop width only.
"""

from __future__ import annotations

import pytest

from .helpers import LANGUAGES, axe_report, axe_run, csp_errors, scan_cases


@pytest.mark.e2e
@pytest.mark.parametrize(
    ("spec", "role"), scan_cases(), ids=[f"{s.id}-{r}" for s, r in scan_cases()]
)
def test_page_has_no_wcag_a_or_aa_violations(spec, role, new_page, logged_in_as, screenshot):
    viewports = ("desktop", "mobile") if role == "anonymous" else spec.viewports
    failures = []
    for viewport in viewports:
        page = new_page(viewport) if role == "anonymous" else logged_in_as(role, viewport=viewport)
        for language in LANGUAGES:
            path = spec.path(language)
            response = page.goto(path)
            assert response is not None
            assert response.status == spec.status, f"{path} answered {response.status}"
            assert page.url.endswith(path), f"{path} was redirected to {page.url}"
            assert page.locator("html").get_attribute("lang") == language

            violations = axe_run(page)

            if violations:
                failures.append(axe_report(violations, where=f"{path} ({role}, {viewport})"))
            screenshot(page, f"page-{spec.id}-{role}-{language}-{viewport}")
        assert not csp_errors(page), csp_errors(page)
    assert not failures, "\n\n".join(failures)
