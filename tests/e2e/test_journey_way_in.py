"""Issue 16's journeys in Chromium: a visitor from the home page to a signed agreement without
typing a URL (only the link in the confirmation e-mail is followed, as a person clicks it), a
checker told by e-mail who approves from the to-do page, and the menu on a phone."""

from __future__ import annotations

import re

import pytest

from .helpers import (
    TOTP_SECRET,
    application_step_1,
    application_step_2,
    fresh_totp_code,
    log_in,
    totp_code,
)

# One data set for the module (module_data.py). Each journey writes only what it alone reads:
# users, an organisation and meetings of its own (their own e-mail addresses, names and
# numbers), looked up by those; the shared things they touch (the first cooperation group, which
# two journeys add people and a meeting to; the staff's review queue) are only added to, and no
# test counts them. The outbox is emptied before each test (pytest-django), and each test picks
# its own messages by recipient.
from .module_data import e2e_data, module_e2e_data, transactional_db  # noqa: F401

pytestmark = pytest.mark.e2e

EMAIL = "sekreterare@vagen-in.example.se"
PASSWORD = "ett-langt-och-unikt-e2e-losenord"
ORG_NAME = "Föreningen Vägen In"
STATUTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _seat(group: object, user: object, role: str) -> None:
    """`user` sits in `group` for civil society as `role`, since 2020."""
    import datetime

    from meetings.models import GroupMember

    GroupMember.objects.create(
        group=group,
        user=user,
        side="civil_society",
        role=role,
        term_start=datetime.date(2020, 1, 1),
    )


def _submit(page) -> None:
    with page.expect_navigation():
        page.locator("main form button[type=submit]").last.click()


def test_a_visitor_goes_from_the_home_page_to_a_signed_agreement_without_typing_a_url(
    server, new_page, logged_in_as, screenshot
):
    from django.core import mail

    from lov_portal.portal.demo import organisation_number
    from organisations.models import Organisation

    page = new_page(fresh=True)
    page.goto("/")
    with page.expect_navigation():
        page.get_by_role("link", name="Ansök om att underteckna").first.click()
    assert "/konto/login/" in page.url and "next=" in page.url, page.url
    with page.expect_navigation():
        page.get_by_role("link", name="Skapa ett konto").click()
    page.locator("input[name=email]").fill(EMAIL)
    page.locator("input[name=password1]").fill(PASSWORD)
    page.locator("input[name=password2]").fill(PASSWORD)
    _submit(page)
    message = next(m for m in reversed(mail.outbox) if EMAIL in m.to)
    link = re.search(r"https?://[^\s]+/konto/confirm-email/[^\s]+", message.body).group(0)
    page.goto(re.sub(r"^https?://[^/]+", "", link))  # the link in the e-mail, clicked
    _submit(page)
    # Back where the visitor was going: the application.
    assert page.url.endswith("/organisationer/ansok/"), page.url
    screenshot(page, "journey-way-in-1-application")
    application_step_1(
        page,
        name=ORG_NAME,
        number=organisation_number("802", 515151),
        municipality="Timrå",
        description="En förening som hittade vägen in.",
    )
    application_step_2(page, contact="Vera Väg")
    with page.expect_navigation():
        page.get_by_role("button", name="Skicka ansökan").click()
    organisation = Organisation.objects.get(name=ORG_NAME)
    # Next come the documents: the statutes, uploaded as a person picks a file.
    assert page.url.endswith(f"/organisationer/{organisation.slug}/dokument/"), page.url
    page.get_by_label("Stadgar", exact=True).check()
    page.get_by_label(re.compile("^Fil( |$)")).set_input_files(
        files=[{"name": "Stadgar 2024.pdf", "mimeType": "application/pdf", "buffer": STATUTES}]
    )
    with page.expect_navigation():
        page.get_by_role("button", name="Ladda upp dokumentet").click()
    assert page.get_by_role("link", name="Stadgar 2024.pdf").count() == 1
    screenshot(page, "journey-way-in-1b-documents")

    staff = logged_in_as("staff")
    staff.get_by_role("link", name=re.compile("^Att göra")).click()
    staff.get_by_role("link", name=ORG_NAME).click()
    # Staff see the document in the review.
    assert staff.get_by_role("link", name="Stadgar 2024.pdf").count() == 1
    staff.get_by_label("Godkänn ansökan").check()
    with staff.expect_navigation():
        staff.get_by_role("button", name="Spara beslut och meddela sökanden").click()
    organisation.refresh_from_db()
    assert organisation.status == "approved"

    # The applicant finds the signing on the to-do page, sets up MFA and comes back.
    page.reload()
    with page.expect_navigation():
        page.get_by_role("link", name=re.compile("^Att göra")).click()
    with page.expect_navigation():
        page.get_by_role("link", name=re.compile("Underteckna den gällande versionen")).click()
    if "reauthenticate" in page.url:
        page.locator("input[name=password]").fill(PASSWORD)
        _submit(page)
    assert "/2fa/totp/activate/" in page.url, page.url
    secret = page.locator("#authenticator_secret").input_value()
    used: set[str] = set()
    page.locator("input[name=code]").fill(fresh_totp_code(secret, used))
    _submit(page)
    screenshot(page, "journey-way-in-2-recovery-codes")
    with page.expect_navigation():
        page.get_by_role("link", name="Fortsätt").click()
    assert f"/organisationer/{organisation.slug}/underteckna/" in page.url, page.url
    # The page offers BankID and the password method side by side: this journey uses the latter.
    form = page.get_by_role("region", name=re.compile("Underteckna med lösenord"))
    form.get_by_label("Din titel eller roll").fill("Ordförande")
    form.get_by_label("Jag är firmatecknare för organisationen.").check()
    form.get_by_label("Jag intygar att jag är behörig").check()
    with page.expect_navigation():
        form.get_by_role("button", name="Underteckna överenskommelsen").click()
    if "reauthenticate" in page.url:
        if page.locator("input[name=code]").count():
            page.locator("input[name=code]").fill(fresh_totp_code(secret, used))
        else:
            page.locator("input[name=password]").fill(PASSWORD)
        _submit(page)
    screenshot(page, "journey-way-in-3-signed")
    assert organisation.signatures.count() == 1


def test_a_checker_told_by_email_approves_from_the_to_do_page(server, new_page, screenshot):
    import datetime

    from allauth.account.models import EmailAddress
    from allauth.mfa.totp.internal.auth import TOTP
    from django.core import mail
    from django.utils import timezone

    from lov_portal.accounts.models import User
    from meetings import services
    from meetings.models import CooperationGroup, MemberRole, MinutesStatus

    group = CooperationGroup.objects.first()
    people = {}
    for key, name in (
        ("secretary", "Sara Sekreterare"),
        ("chair", "Olle Ordförande"),
        ("checker", "Jonna Justerare"),
    ):
        user = User.objects.create_user(
            email=f"e2e-notice-{key}@example.se", password=PASSWORD, full_name=name
        )
        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
        # Justering asks for a second factor, as signing does (issue 18).
        TOTP.activate(user, TOTP_SECRET)
        role = {"chair": MemberRole.CHAIR, "secretary": MemberRole.SECRETARY}.get(
            key, MemberRole.MEMBER
        )
        _seat(group, user, role)
        people[key] = user
    starts = timezone.now() - datetime.timedelta(days=2)
    meeting = services.meeting_create(
        group=group, kind="group", starts_at=starts, ends_at=starts + datetime.timedelta(hours=2)
    )
    minutes = services.minutes_create(meeting=meeting)
    services.minutes_header_update(
        minutes=minutes,
        chair=people["chair"],
        secretary=people["secretary"],
        checkers=[people["checker"]],
    )
    services.minutes_item_create(
        minutes=minutes, heading="Budget", notes="", decision="Beslutades."
    )
    mail.outbox.clear()
    services.minutes_send_for_approval(minutes=minutes, by=people["secretary"])
    (notice,) = [m for m in mail.outbox if m.to == [people["checker"].email]]
    assert "Protokoll att justera" in notice.subject

    page = new_page(fresh=True)
    log_in(page, email=people["checker"].email, password=PASSWORD)
    assert page.url.endswith("/att-gora/"), page.url
    assert page.locator(".count-badge").first.inner_text().startswith("1")
    with page.expect_navigation():
        page.get_by_role("link", name=str(meeting)).click()
    page.get_by_label("Jag justerar protokollet").check()
    screenshot(page, "journey-notice-approve")
    with page.expect_navigation():
        page.get_by_role("button", name="Skicka svaret").click()
    if "reauthenticate" in page.url:  # the password or a code again, then the answer is sent
        if page.locator("input[name=password]").count():
            page.locator("input[name=password]").fill(PASSWORD)
        else:  # a fresh code: the one used at login is not accepted twice
            page.locator("input[name=code]").fill(fresh_totp_code(TOTP_SECRET, {totp_code()}))
        _submit(page)
    minutes.refresh_from_db()
    assert minutes.current_revision.approvals.filter(user=people["checker"]).exists()
    assert minutes.status == MinutesStatus.SENT  # the chair has not answered yet
    # The secretary was told at once.
    assert any(
        m.to == [people["secretary"].email] and "justerats av Jonna Justerare" in m.subject
        for m in mail.outbox
    )


def test_the_menu_folds_behind_a_button_on_a_phone(server, new_page, screenshot):
    phone = new_page("mobile")
    phone.goto("/")
    nav = phone.locator("nav.site-nav")
    button = phone.locator("label.menu-button")
    assert button.is_visible()
    assert not nav.is_visible()
    assert phone.locator("main h1").bounding_box()["y"] < 260
    button.click()
    assert nav.is_visible()
    screenshot(phone, "phone-menu-open")
    with phone.expect_navigation():
        phone.get_by_role("link", name="Undertecknare").first.click()
    assert "/undertecknare/" in phone.url

    desktop = new_page("desktop")
    desktop.goto("/")
    assert desktop.locator("nav.site-nav").is_visible()
    assert not desktop.locator("label.menu-button").is_visible()


def test_a_staff_member_logging_in_on_a_deep_link_lands_there_after_mfa(server, new_page):
    from allauth.account.models import EmailAddress

    from lov_portal.accounts.models import User

    user = User.objects.create_user(
        email="e2e-ny-personal@example.se", password=PASSWORD, full_name="Nils Ny", is_staff=True
    )
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    deep = "/organisationer/granskning/"
    page = new_page(fresh=True)
    page.goto(deep)  # a link in an e-mail from a colleague
    assert "/konto/login/" in page.url
    page.locator("input[name=login]").fill(user.email)
    page.locator("input[name=password]").fill(PASSWORD)
    with page.expect_navigation():
        page.locator("form.login-form button[type=submit]").click()
    if "reauthenticate" in page.url:
        page.locator("input[name=password]").fill(PASSWORD)
        _submit(page)
    assert "/2fa/totp/activate/" in page.url, page.url
    secret = page.locator("#authenticator_secret").input_value()
    page.locator("input[name=code]").fill(fresh_totp_code(secret, set()))
    _submit(page)
    with page.expect_navigation():
        page.get_by_role("link", name="Fortsätt").click()
    assert page.url.endswith(deep), page.url
    assert page.locator("h1").inner_text()


def test_an_english_speaking_user_receives_english_emails(server, new_page):
    import datetime

    from django.core import mail
    from django.utils import timezone

    from lov_portal.accounts.models import User
    from meetings import services
    from meetings.models import CooperationGroup

    email = "e2e-english@example.se"
    page = new_page(fresh=True)
    page.goto("/en/")
    with page.expect_navigation():
        page.get_by_role("link", name="Apply to sign").first.click()
    with page.expect_navigation():
        page.locator("main a[href*='signup']").first.click()
    page.locator("input[name=email]").fill(email)
    page.locator("input[name=password1]").fill(PASSWORD)
    page.locator("input[name=password2]").fill(PASSWORD)
    _submit(page)
    confirmation = next(m for m in reversed(mail.outbox) if email in m.to)
    assert "Bekräfta" not in confirmation.subject
    user = User.objects.get(email=email)
    assert user.preferred_language == "en"

    from meetings.models import MemberRole

    group = CooperationGroup.objects.first()
    secretary = User.objects.create_user(email="e2e-sek@example.se", password=PASSWORD)
    chair = User.objects.create_user(email="e2e-ordf@example.se", password=PASSWORD)
    for person, role in (
        (secretary, MemberRole.SECRETARY),
        (chair, MemberRole.CHAIR),
        (user, MemberRole.MEMBER),
    ):
        _seat(group, person, role)
    starts = timezone.now() - datetime.timedelta(days=1)
    meeting = services.meeting_create(
        group=group, kind="group", starts_at=starts, ends_at=starts + datetime.timedelta(hours=1)
    )
    minutes = services.minutes_create(meeting=meeting)
    services.minutes_header_update(
        minutes=minutes, chair=chair, secretary=secretary, checkers=[user]
    )
    services.minutes_item_create(minutes=minutes, heading="A", notes="", decision="B")
    services.minutes_send_for_approval(minutes=minutes, by=secretary)
    (notice,) = [m for m in mail.outbox if m.to == [email] and "Minutes to approve" in m.subject]
    assert "Hej" not in notice.body
