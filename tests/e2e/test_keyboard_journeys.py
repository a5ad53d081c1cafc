"""The signing flow and the minutes editor with the keyboard alone (Tab, Space, Enter), and
focus kept after the dashboard's htmx update (issue 7). No mouse clicks and no fill(): keys
only, after the page is loaded."""

from __future__ import annotations

import pytest

from lov_portal.portal.demo import DEMO_PASSWORD

from .helpers import assert_focus_kept, next_totp_code

# One data set for the module (module_data.py): each test writes only what it alone reads, and
# checks its write against a count it takes itself: a signature of the demo signatory's
# organisation (the first test), an item of the draft minutes (the second) and a status update
# (the third). None of them changes what the others' pages offer or count.
from .module_data import e2e_data, module_e2e_data, transactional_db  # noqa: F401

pytestmark = pytest.mark.e2e


def tab_to(
    page: object, selector: str, *, text: str = "", press: str = "", limit: int = 300
) -> None:
    """Press Tab until the element matching `selector` has focus (fails after `limit` presses:
    the element is not reachable by keyboard); then type `text` and press the key `press`."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(sel) => document.activeElement.matches(sel)", selector):
            break
    else:
        raise AssertionError(f"{selector} was not reached with Tab in {limit} presses")
    if text:
        page.keyboard.type(text)
    if press:
        page.keyboard.press(press)


def test_the_signing_form_works_with_the_keyboard_alone(server, logged_in_as, screenshot):
    from agreements.models import Signature

    from .helpers import _signable_organisation_slug

    slug = _signable_organisation_slug()["slug"]
    page = logged_in_as("signatory")
    page.goto(f"/organisationer/{slug}/underteckna/")
    assert page.url.endswith("/underteckna/"), page.url
    before = Signature.objects.filter(organisation__slug=slug).count()

    tab_to(page, "input[name=signer_title]", text="Ordförande")
    tab_to(page, "input[name=authority_basis]", press="Space")
    tab_to(page, "input[name=confirm]", press="Space")
    tab_to(page, "main form button[type=submit]")
    screenshot(page, "keyboard-signing-before-submit")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    screenshot(page, "keyboard-signing-after-submit")

    if "reauthenticate" in page.url:  # allauth asks again before the signature is saved
        screenshot(page, "keyboard-signing-reauthenticate")
        code = page.locator("main input[name=code]")
        if code.count():
            # The next window's code: the login used this one.
            tab_to(page, "main input[name=code]", text=next_totp_code())
        else:
            tab_to(page, "main input[name=password]", text=DEMO_PASSWORD)
        with page.expect_navigation():
            page.keyboard.press("Enter")
    screenshot(page, "keyboard-signing-signed")

    assert Signature.objects.filter(organisation__slug=slug).count() == before + 1


def test_the_minutes_editor_works_with_the_keyboard_alone(server, logged_in_as, screenshot):
    from meetings.models import Minutes

    from .helpers import _draft_minutes_meeting_pk

    pk = _draft_minutes_meeting_pk()["pk"]
    page = logged_in_as("secretary")
    page.goto(f"/moten/{pk}/protokoll/redigera/")
    minutes = Minutes.objects.get(meeting_id=pk)
    before = minutes.items.count()

    tab_to(page, "input[name=item-heading]", text="Uppföljning med tangentbordet", press="Tab")
    page.keyboard.type("Anteckningar skrivna utan mus.")
    tab_to(
        page,
        "textarea[name=item-decision], input[name=item-decision]",
        text="Gruppen beslutade att fortsätta.",
    )
    tab_to(page, "form:has(input[name=item-heading]) button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    screenshot(page, "keyboard-minutes-after-item")

    assert minutes.items.count() == before + 1
    assert minutes.items.filter(heading="Uppföljning med tangentbordet").exists()
    assert "Uppföljning med tangentbordet" in page.locator("main").inner_text()


def test_focus_is_kept_after_the_dashboards_htmx_update(server, logged_in_as):
    from commitments.models import StatusUpdate

    page = logged_in_as("staff")
    page.goto("/uppfoljning/")
    before = StatusUpdate.objects.count()

    tab_to(page, "#update-form select[name=commitment]", press="ArrowDown")
    tab_to(page, "#update-form select[name=status]", press="ArrowDown")
    tab_to(page, "#update-form button[type=submit]", press="Enter")
    page.wait_for_selector("#update-form .message--success, #update-form [role=alert]")

    assert_focus_kept(page, inside="#update-form")
    assert StatusUpdate.objects.count() == before + 1
