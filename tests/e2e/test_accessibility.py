"""axe-core on every page, in Swedish and English, on a desktop and a mobile width.

Fails on any violation of the WCAG 2.0/2.1 A and AA rules and prints what to fix.
"""

from __future__ import annotations

import pytest

from .helpers import LANGUAGES, axe_report, axe_run, csp_errors, scan_cases_by_viewport

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(
    ("spec", "role", "viewport"),
    scan_cases_by_viewport(),
    ids=[f"{s.id}-{r}-{v}" for s, r, v in scan_cases_by_viewport()],
)
def test_page_has_no_wcag_a_or_aa_violations(
    spec, role, language, viewport, new_page, logged_in_as, screenshot
):
    page = new_page(viewport) if role == "anonymous" else logged_in_as(role, viewport=viewport)
    path = spec.path(language)
    response = page.goto(path)
    assert response is not None
    assert response.status == spec.status, f"{path} answered {response.status}"
    assert page.url.endswith(path), f"{path} was redirected to {page.url}"
    assert page.locator("html").get_attribute("lang") == language

    violations = axe_run(page)

    assert not violations, axe_report(violations, where=f"{path} ({role}, {viewport})")
    assert not csp_errors(page), csp_errors(page)
    screenshot(page, f"page-{spec.id}-{role}-{language}-{viewport}")
