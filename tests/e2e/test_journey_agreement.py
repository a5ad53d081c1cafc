"""Journey: a visitor reads the agreement, jumps to a principle and switches to English."""

from __future__ import annotations

import re

import pytest

# The journey only reads and follows links: one data set for the module (module_data.py).
from .module_data import e2e_data, module_e2e_data, transactional_db  # noqa: F401

pytestmark = pytest.mark.e2e

ENGLISH_PRINCIPLES = [
    "Independence and autonomy",
    "Dialogue",
    "Quality",
    "Long-term perspective",
    "Openness and transparency",
    "Diversity",
]


@pytest.mark.parametrize("viewport", ["desktop", "mobile"])
def test_visitor_reads_a_principle_and_switches_to_english(new_page, screenshot, viewport):
    page = new_page(viewport)

    page.goto("/")
    assert page.locator("h1").inner_text() == "Länsöverenskommelsen Västernorrland"
    screenshot(page, f"journey-agreement-{viewport}-1-home")

    page.get_by_role("link", name="Läs överenskommelsen").click()
    page.wait_for_url(re.compile(r"/overenskommelsen/$"))
    assert page.locator("h1").inner_text() == "Länsöverenskommelsen Västernorrland"
    screenshot(page, f"journey-agreement-{viewport}-2-agreement")

    toc = page.get_by_role("navigation", name="De sex principerna")
    toc.get_by_role("link", name="Dialog", exact=True).click()
    page.wait_for_url(re.compile(r"#princip-dialogue$"))
    heading = page.locator("#princip-dialogue-heading")
    assert heading.inner_text() == "2. Dialog"
    assert heading.is_visible()
    assert page.evaluate(
        "() => { const r = document.querySelector('#princip-dialogue-heading')"
        ".getBoundingClientRect(); return r.top >= 0 && r.top < window.innerHeight; }"
    ), "the principle's heading is scrolled into view"
    # Keyboard users continue from the principle: the next Tab lands inside its section or
    # after it, never back at the top of the page.
    page.keyboard.press("Tab")
    assert page.evaluate(
        "() => { const s = document.querySelector('#princip-dialogue');"
        " const pos = s.compareDocumentPosition(document.activeElement);"
        " return s.contains(document.activeElement)"
        " || !!(pos & Node.DOCUMENT_POSITION_FOLLOWING); }"
    )

    page.get_by_role("link", name="In English").click()
    page.wait_for_url(re.compile(r"/en/overenskommelsen/"))
    assert page.locator("html").get_attribute("lang") == "en"
    toc = page.get_by_role("navigation", name="The six principles")
    assert toc.get_by_role("link").all_inner_texts() == ENGLISH_PRINCIPLES
    assert page.locator("#princip-dialogue-heading").inner_text() == "2. Dialogue"
    # The agreement's own text is Swedish and marked so, for screen readers and translators.
    for selector in ("h1 > span", "p.lead", "#princip-dialogue p.national-text"):
        assert page.locator(selector).first.get_attribute("lang") == "sv", selector
    regional = page.locator("#princip-dialogue p[lang=sv]")
    assert regional.count() >= 2
    assert page.locator(".full-text__body").get_attribute("lang") == "sv"
    page.locator("#princip-dialogue").scroll_into_view_if_needed()
    screenshot(page, f"journey-agreement-{viewport}-3-agreement-en")

    page.get_by_role("link", name="På svenska").click()
    page.wait_for_url(re.compile(r"/overenskommelsen/$"))
    assert page.locator("html").get_attribute("lang") == "sv"
