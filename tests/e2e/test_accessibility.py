"""axe-core on every page, in Swedish and English, on a desktop and a mobile width.

Fails on any violation of the WCAG 2.0/2.1 A and AA rules and prints what to fix. One test per
page and role visits it in every language and width (a logged-in role's page in one window,
resized from the desktop to the mobile width). The scans share one data set, created once for
this module and removed after it, instead of creating it for each test, and each logged-in
role logs in once for the module (its browser context is reused by the role's later scans).
"""

from __future__ import annotations

import pytest

from .helpers import LANGUAGES, VIEWPORTS, axe_report, axe_run, csp_errors, scan_cases

# The scans look at pages; what they write (the logged-in roles' users, created only when
# missing, their sessions and login events, a draft of minutes when there is none) does not
# change what another scan checks, so one data set, created once for this module, serves them
# all (module_data.py).
from .module_data import e2e_data, module_e2e_data, transactional_db  # noqa: F401


@pytest.mark.e2e
@pytest.mark.parametrize(
    ("spec", "role"), scan_cases(), ids=[f"{s.id}-{r}" for s, r in scan_cases()]
)
def test_page_has_no_wcag_a_or_aa_violations(spec, role, new_page, logged_in_as, screenshot):
    failures = []
    # A logged-in role logs in once for the module (the scans only look, so the session is
    # left as it was found) and the window is resized for the next width.
    logged_in = (
        None if role == "anonymous" else logged_in_as(role, viewport=spec.viewports[0], reuse=True)
    )
    for viewport in spec.viewports:
        if logged_in is None:
            page = new_page(viewport)
        else:
            page = logged_in
            width, height, _scale = VIEWPORTS[viewport]
            page.set_viewport_size({"width": width, "height": height})
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
