"""Text spacing (WCAG 1.4.12) and Windows high-contrast / forced-colours mode."""

from __future__ import annotations

import pytest

from .helpers import FOCUS_STYLE, PAGES, PageSpec

# The tests only look at pages: one data set for the module (module_data.py).
from .module_data import e2e_data, module_e2e_data, transactional_db  # noqa: F401

pytestmark = pytest.mark.e2e

ANONYMOUS_PAGES = [spec for spec in PAGES if "anonymous" in spec.roles and spec.status == 200]

# WCAG 1.4.12: line height 1.5 × the font size, paragraph spacing 2 ×, letter spacing 0.12 ×,
# word spacing 0.16 ×; no content or functionality may be lost.
TEXT_SPACING_CSS = """
* { line-height: 1.5 !important; letter-spacing: 0.12em !important;
    word-spacing: 0.16em !important; }
p { margin-bottom: 2em !important; }
"""

# Elements that hide part of their text because they clip it (overflow hidden or clip) and their
# content no longer fits. Scroll containers are fine (the text can be reached), and so is the
# visually hidden text for screen readers, which is clipped on purpose.
CLIPPED_TEXT = """() => [...document.querySelectorAll("body *")].filter((el) => {
    if (el.closest(".visually-hidden, .skip-link")) return false;
    if (!el.textContent.trim()) return false;
    const s = getComputedStyle(el);
    const clips = (v) => v === "hidden" || v === "clip";
    const x = clips(s.overflowX) && el.scrollWidth > el.clientWidth + 1;
    const y = clips(s.overflowY) && el.scrollHeight > el.clientHeight + 1;
    return x || y;
}).slice(0, 5).map((el) => el.tagName.toLowerCase() + (el.className ? "." + el.className : ""))"""


@pytest.mark.parametrize("viewport", ["desktop", "mobile"])
def test_text_spacing_loses_no_content(new_page, viewport):
    # bypass_csp lets the test add its own style sheet, as a user's style sheet or bookmarklet
    # would; the portal's pages themselves are served with the strict policy as always.
    page = new_page(viewport, bypass_csp=True)
    failures = []
    for spec in ANONYMOUS_PAGES:
        page.goto(spec.path("sv"))
        page.add_style_tag(content=TEXT_SPACING_CSS)
        clipped = page.evaluate(CLIPPED_TEXT)
        if clipped:
            failures.append(f"{spec.path('sv')} clips text with WCAG text spacing: {clipped}")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("path_name", ["home", "agreement", "account_login", "commitments:list"])
def test_focus_stays_visible_in_forced_colours_mode(new_page, screenshot, path_name):
    # In Windows high-contrast mode box shadows and background colours are dropped: the focus
    # indicator must be an outline, which the system colours keep.
    page = new_page("desktop", forced_colors="active")
    page.goto(PageSpec(path_name).path("sv"))
    assert page.evaluate("() => matchMedia('(forced-colors: active)').matches")
    seen = 0
    for _ in range(30):
        page.keyboard.press("Tab")
        style = page.evaluate(FOCUS_STYLE)
        if style is None:
            break
        seen += 1
        assert style["outline"], f"focus has no outline in forced-colours mode: {style}"
    assert seen >= 5
    screenshot(page, f"forced-colours-{path_name.replace(':', '-')}")
