"""Keyboard use, visible focus, reflow (320 px, 200 % zoom) and announced form errors."""

from __future__ import annotations

import pytest

from .helpers import FOCUS_STYLE, PAGES, PageSpec, axe_report, axe_run

# These tests look at pages and send forms that fail; what they write (role users made when
# missing, sessions, login events, a draft of minutes when there is none) no other test here
# reads, so they share one data set for the module (module_data.py).
from .module_data import e2e_data, module_e2e_data, transactional_db  # noqa: F401

pytestmark = pytest.mark.e2e

HORIZONTAL_OVERFLOW = """() => {
    const width = document.documentElement.clientWidth;
    const wide = [...document.querySelectorAll("body *")]
        .filter((el) => el.getBoundingClientRect().right > width + 1)
        .slice(0, 5)
        .map((el) => el.tagName.toLowerCase() + (el.className ? "." + el.className : ""));
    return {scroll: document.documentElement.scrollWidth, width, wide};
}"""


@pytest.mark.parametrize("language", ["sv", "en"])
def test_skip_link_is_first_and_moves_focus_to_main(new_page, language):
    page = new_page()
    page.goto(PageSpec("agreement").path(language))

    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    assert page.evaluate("() => document.activeElement.className") == "skip-link"
    box = skip.bounding_box()
    assert box is not None
    assert box["y"] >= 0, "the skip link must be on screen when it has focus"

    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main"
    # The next Tab continues inside the main content, not in the header.
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.closest('main') !== null")


@pytest.mark.parametrize("path_name", ["home", "agreement", "account_login", "account_signup"])
def test_every_focused_element_shows_a_visible_focus_indicator(new_page, path_name):
    page = new_page()
    page.goto(PageSpec(path_name).path("sv"))
    seen = 0
    for _ in range(40):
        page.keyboard.press("Tab")
        style = page.evaluate(FOCUS_STYLE)
        if style is None:  # focus left the document: every element has been visited
            break
        seen += 1
        assert style["visible"], style
        assert style["outline"] or style["shadow"], f"no visible focus on {style}"
    assert seen >= 5


PUBLIC_PAGES = [spec for spec in PAGES if "anonymous" in spec.roles]


@pytest.mark.parametrize("viewport", ["narrow", "zoom200"])
def test_pages_reflow_without_horizontal_scrolling(new_page, viewport):
    # One test per width visits every public page (the data is created once per test, which is
    # what takes the time); every page that scrolls sideways is reported.
    page = new_page(viewport)
    failures = []
    for spec in PUBLIC_PAGES:
        for language in ("sv", "en"):
            page.goto(spec.path(language))
            if spec.url_name == "agreement":
                page.locator("details.full-text summary").click()  # the longest content, opened
            overflow = page.evaluate(HORIZONTAL_OVERFLOW)
            if overflow["scroll"] > overflow["width"]:
                failures.append(f"{spec.path(language)} scrolls sideways at {viewport}: {overflow}")
    assert not failures, "\n".join(failures)


# The logged-in pages of PAGES, by role (a page of several roles is checked for each).
ROLE_PAGES: dict[str, list[PageSpec]] = {}
for _spec in PAGES:
    for _role in _spec.roles:
        if _role != "anonymous":
            ROLE_PAGES.setdefault(_role, []).append(_spec)


@pytest.mark.parametrize("viewport", ["narrow", "zoom200"])
def test_logged_in_pages_reflow_without_horizontal_scrolling(logged_in_as, viewport):
    # The main pages of each logged-in role, in both languages: one login per role, and every
    # page that scrolls sideways is reported (data tables may scroll inside their own region).
    assert ROLE_PAGES, "PAGES has no logged-in pages"
    failures = []
    for role, specs in ROLE_PAGES.items():
        page = logged_in_as(role, viewport=viewport)
        for spec in specs:
            for language in ("sv", "en"):
                path = spec.path(language)
                response = page.goto(path)
                assert response is not None and response.status == spec.status, path
                assert page.url.endswith(path), f"{path} was redirected to {page.url}"
                overflow = page.evaluate(HORIZONTAL_OVERFLOW)
                if overflow["scroll"] > overflow["width"]:
                    failures.append(f"{path} ({role}) scrolls sideways at {viewport}: {overflow}")
    assert not failures, "\n".join(failures)


# Every .table-scroll region on the page: its name, whether it scrolls, and how it is reached.
TABLE_REGIONS = """() => [...document.querySelectorAll(".table-scroll")].map((el) => {
    const ids = (el.getAttribute("aria-labelledby") || "").split(/\\s+/).filter(Boolean);
    return {
        role: el.getAttribute("role"),
        tabindex: el.tabIndex,
        name: ids.map((id) => document.getElementById(id)?.textContent || "").join(" ").trim(),
        hasTable: !!el.querySelector(":scope > table"),
        scrolls: el.scrollWidth > el.clientWidth,
    };
})"""


@pytest.mark.parametrize(
    ("url_name", "regions"),
    [("commitments:list", 1), ("meetings:meeting_list", 2), ("meetings:group_detail", 2)],
)
def test_wide_tables_scroll_in_a_named_region_reachable_by_keyboard(new_page, url_name, regions):
    # WCAG 1.4.10 lets a data table scroll in two directions, but only inside the page: the table
    # sits in a region with a name that can take focus, so it can be scrolled with the keyboard.
    page = new_page("narrow")
    page.goto(PageSpec(url_name).path("sv"))
    found = page.evaluate(TABLE_REGIONS)
    assert len(found) == regions, found
    for region in found:
        assert region["role"] == "region" and region["tabindex"] == 0, region
        assert region["name"], f"the scroll region has no accessible name: {region}"
        assert region["hasTable"], region
    assert any(region["scrolls"] for region in found), "no table is wider than 320 px any more"

    # Tab reaches the first region that scrolls; it shows focus, and the arrow keys scroll it.
    first = found.index(next(region for region in found if region["scrolls"]))
    target = page.locator(".table-scroll").nth(first)
    for _ in range(60):
        page.keyboard.press("Tab")
        if target.evaluate("(el) => el === document.activeElement"):
            break
    else:
        pytest.fail("Tab never reached the table's scroll region")
    style = page.evaluate(FOCUS_STYLE)
    assert style["visible"] and (style["outline"] or style["shadow"]), style
    page.keyboard.press("ArrowRight")
    page.wait_for_function(
        "(i) => document.querySelectorAll('.table-scroll')[i].scrollLeft > 0", arg=first
    )
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 320


def test_mobile_navigation_and_language_switch_are_reachable_by_keyboard(new_page):
    page = new_page("mobile")
    page.goto(PageSpec("home").path("sv"))
    names = []
    for _ in range(8):
        page.keyboard.press("Tab")
        names.append(page.evaluate("() => document.activeElement.textContent.trim()"))
        if page.evaluate("() => document.activeElement.id") == "menu-toggle":
            # On a phone the menus are folded behind "Meny" (issue 16): open it with Space.
            assert page.locator("label.menu-button").is_visible()
            page.keyboard.press("Space")
    assert "In English" in names
    assert "Överenskommelsen" in names


@pytest.mark.parametrize("language", ["sv", "en"])
def test_login_errors_are_announced_focused_and_linked_to_their_fields(
    new_page, screenshot, language
):
    page = new_page()
    page.goto(PageSpec("account_login").path(language))
    page.locator("#id_login").fill("inte-en-adress")
    with page.expect_navigation():
        page.locator("form.login-form button[type=submit]").click()

    summary = page.locator("[data-error-summary]")
    assert summary.get_attribute("role") == "alert"
    assert page.evaluate("() => document.activeElement.hasAttribute('data-error-summary')")
    # What the person typed is kept.
    assert page.locator("#id_login").input_value() == "inte-en-adress"
    for field_id in ("id_login", "id_password"):
        field = page.locator(f"#{field_id}")
        assert field.get_attribute("aria-invalid") == "true"
        described = field.get_attribute("aria-describedby").split()
        assert f"{field_id}_error" in described
        error = page.locator(f"#{field_id}_error")
        assert error.is_visible()
        assert error.inner_text().strip()
    # The summary links lead to the fields.
    summary.locator("a[href='#id_password']").click()
    assert page.evaluate("() => document.activeElement.id") == "id_password"

    violations = axe_run(page)
    assert not violations, axe_report(violations, where="login form with errors")
    screenshot(page, f"login-errors-{language}")


def test_wrong_password_is_announced_without_revealing_which_part_was_wrong(new_page):
    from .helpers import role_user_create

    email, _password = role_user_create(role="member")
    page = new_page()
    page.goto(PageSpec("account_login").path("sv"))
    page.locator("#id_login").fill(email)
    page.locator("#id_password").fill("fel-losenord-123")
    with page.expect_navigation():
        page.keyboard.press("Enter")  # submitting with the keyboard alone

    summary = page.locator("[data-error-summary]")
    assert summary.get_attribute("role") == "alert"
    assert "lösenord" in summary.inner_text().lower()


def test_signup_errors_are_linked_to_the_password_field(new_page):
    page = new_page()
    page.goto(PageSpec("account_signup").path("sv"))
    page.locator("#id_email").fill("ny@example.se")
    page.locator("#id_password1").fill("kort")
    page.locator("#id_password2").fill("kort")
    with page.expect_navigation():
        page.locator("form.signup-form button[type=submit]").click()

    password = page.locator("#id_password1")
    assert password.get_attribute("aria-invalid") == "true"
    described = password.get_attribute("aria-describedby").split()
    assert described == ["id_password1_helptext", "id_password1_error"]
    assert "10 tecken" in page.locator("#id_password1_error").inner_text()
    assert page.locator("#id_email").input_value() == "ny@example.se"
    violations = axe_run(page)
    assert not violations, axe_report(violations, where="signup form with errors")


def test_logged_in_as_logs_in_through_the_real_form(logged_in_as):
    page = logged_in_as("staff")
    assert page.locator(".site-tools__user").is_visible()


def test_focus_check_for_htmx_updates_notices_lost_focus(new_page):
    from .helpers import assert_focus_kept

    page = new_page()
    page.goto(PageSpec("home").path("sv"))
    page.locator(".lang-switch").focus()
    assert_focus_kept(page, inside=".site-tools")

    # What a careless swap does: the focused element is replaced, focus falls to <body>.
    page.evaluate("() => document.activeElement.replaceWith(document.createElement('span'))")
    with pytest.raises(AssertionError, match="focus was lost"):
        assert_focus_kept(page)
