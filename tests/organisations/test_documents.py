"""Documents in the application (issue 16): statutes, registration certificate and the board
minute on who signs for the organisation, under the portal's one upload policy, shown to staff
in the review, asked for with a request for more information and sent with the reply."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from lov_portal.audit.models import AuditEvent
from organisations import services
from organisations.models import (
    ApplicationDocument,
    ApplicationReview,
    MembershipRole,
    OrganisationStatus,
    ReviewAction,
)
from organisations.services import documents as document_services
from tests.accounts.factories import UserFactory
from tests.organisations.factories import MembershipFactory, OrganisationApplicationFactory
from tests.permissions import make_staff_with_mfa

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _pdf(name: str = "Stadgar 2024.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def _stored_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT) / "applications"
    return sorted(root.iterdir()) if root.exists() else []


@pytest.fixture
def applying():
    """An application waiting for review, its administrator (the applicant) and a member."""
    application = OrganisationApplicationFactory()
    organisation = application.organisation
    MembershipFactory(user=application.applicant, organisation=organisation, role="admin")
    member = UserFactory(email="medlem@ansokande.example.se")
    MembershipFactory(user=member, organisation=organisation, role=MembershipRole.MEMBER)
    return application, application.applicant, member


def _documents_url(application) -> str:
    return reverse("organisations:documents", args=[application.organisation.slug])


def _ask_for(application, kind: str) -> None:
    services.application_review(
        application=application,
        reviewer=make_staff_with_mfa(email=f"kansli-{kind}@example.se"),
        action=ReviewAction.REQUEST_INFO,
        reason="Ett dokument, tack.",
        requested_document=kind,
    )


def _upload(client, application, upload, kind="statutes"):
    return client.post(_documents_url(application), {"kind": kind, "file": upload})


# --- Upload -------------------------------------------------------------------------------------


def test_the_applicant_attaches_the_statutes(client, applying):
    application, admin, _member = applying
    client.force_login(admin)
    response = _upload(client, application, _pdf())
    assert response.status_code == 302
    document = ApplicationDocument.objects.get()
    assert document.application == application
    assert document.kind == "statutes"
    assert document.original_name == "Stadgar 2024.pdf"
    assert document.uploaded_by == admin
    assert document.size == len(PDF)
    assert document.content_type == "application/pdf"
    # The stored name is the server's own, not the uploaded one.
    assert document.file.name.startswith("applications/")
    assert "Stadgar" not in document.file.name
    assert AuditEvent.objects.filter(action="organisation.application.document_added").exists()
    page = client.get(_documents_url(application)).content.decode()
    assert "Stadgar 2024.pdf" in page
    assert "är bifogad till ansökan" in page


def test_the_original_name_is_cleaned(client, applying):
    application, admin, _member = applying
    client.force_login(admin)
    _upload(client, application, _pdf(name='../../"beslut";.pdf'))
    assert ApplicationDocument.objects.get().original_name == "beslut.pdf"


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("stadgar.exe", b"MZ\x90\x00"), "Filtypen är inte tillåten"),
        (SimpleUploadedFile("stadgar.html", b"<html></html>"), "Filtypen är inte tillåten"),
        (
            SimpleUploadedFile("stadgar.pdf", b"MZ\x90\x00 not a pdf at all"),
            "Filens innehåll stämmer inte med filtypen .pdf",
        ),
        (
            SimpleUploadedFile("stadgar.pdf", b"<html><script>alert(1)</script>"),
            "Filens innehåll stämmer inte med filtypen .pdf",
        ),
        (
            SimpleUploadedFile("stadgar.pdf", PDF + b"0" * (10 * 1024 * 1024)),
            "Den får vara högst 10,0",
        ),
    ],
    ids=["exe", "html", "fake-magic", "markup-as-pdf", "oversize"],
)
def test_a_refused_file_gets_a_swedish_message_and_nothing_is_saved(
    client, applying, upload, message
):
    application, admin, _member = applying
    client.force_login(admin)
    response = _upload(client, application, upload)
    assert response.status_code == 400
    content = response.content.decode()
    assert message in content
    assert "error-summary" in content
    assert ApplicationDocument.objects.count() == 0
    assert _stored_files() == []
    assert not AuditEvent.objects.filter(action="organisation.application.document_added").exists()


def test_a_failure_after_the_file_was_written_leaves_no_file_and_no_row(applying, monkeypatch):
    application, admin, _member = applying

    def broken(**kwargs):
        raise RuntimeError("the audit log is down")

    monkeypatch.setattr(document_services, "audit_record", broken)
    with pytest.raises(RuntimeError):
        services.application_document_add(
            application=application, kind="statutes", upload=_pdf(), uploaded_by=admin
        )
    assert ApplicationDocument.objects.count() == 0
    assert _stored_files() == []


def test_a_plain_member_sees_the_documents_but_cannot_upload(client, applying):
    application, _admin, member = applying
    client.force_login(member)
    page = client.get(_documents_url(application))
    assert page.status_code == 200
    assert 'type="file"' not in page.content.decode()
    assert _upload(client, application, _pdf()).status_code == 403
    assert ApplicationDocument.objects.count() == 0


def test_documents_can_be_taken_back_before_the_decision_but_are_kept_after(
    client, applying, django_capture_on_commit_callbacks
):
    application, admin, _member = applying
    client.force_login(admin)
    _upload(client, application, _pdf())
    first = ApplicationDocument.objects.get()
    (stored,) = _stored_files()
    with_delete = reverse("organisations:document_delete", args=[first.pk])
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(with_delete).status_code == 302
    assert ApplicationDocument.objects.count() == 0
    assert not stored.exists()

    _upload(client, application, _pdf(name="registreringsbevis.pdf"), kind="registration")
    kept = ApplicationDocument.objects.get()
    services.application_review(
        application=application, reviewer=make_staff_with_mfa(), action=ReviewAction.APPROVE
    )
    response = client.post(reverse("organisations:document_delete", args=[kept.pk]), follow=True)
    assert "sparas som underlag" in response.content.decode()
    assert ApplicationDocument.objects.filter(pk=kept.pk).exists()
    # Nor can anything be added once the application is decided.
    assert _upload(client, application, _pdf()).status_code == 403


def test_a_document_there_when_a_reply_was_sent_is_kept_and_a_later_one_can_be_taken_back(
    client, applying
):
    application, admin, _member = applying
    _ask_for(application, "statutes")
    client.force_login(admin)
    _upload(client, application, _pdf())
    answered = ApplicationDocument.objects.get()
    assert (
        client.post(
            reverse("organisations:reply", args=[application.organisation.slug]),
            {"message": "Se stadgarna."},
        ).status_code
        == 302
    )
    _upload(client, application, _pdf(name="annat.pdf"), kind="registration")
    later = ApplicationDocument.objects.exclude(pk=answered.pk).get()
    page = client.get(_documents_url(application)).content.decode()
    delete = "organisations:document_delete"
    assert reverse(delete, args=[answered.pk]) not in page
    assert reverse(delete, args=[later.pk]) in page
    response = client.post(reverse(delete, args=[answered.pk]), follow=True)
    assert "fanns med när ni skickade en komplettering" in response.content.decode()
    assert ApplicationDocument.objects.filter(pk=answered.pk).exists()
    assert client.post(reverse(delete, args=[later.pk])).status_code == 302
    assert not ApplicationDocument.objects.filter(pk=later.pk).exists()


# --- Staff see them; nobody else may download --------------------------------------------------


def test_staff_see_the_documents_in_the_review_and_download_them(client, applying):
    application, admin, _member = applying
    services.application_document_add(
        application=application,
        kind="signing_authority",
        upload=_pdf("Protokoll.pdf"),
        uploaded_by=admin,
    )
    document = ApplicationDocument.objects.get()
    client.force_login(make_staff_with_mfa())
    page = client.get(reverse("organisations:review_detail", args=[application.pk]))
    content = page.content.decode()
    assert "Protokoll.pdf" in content
    assert "Protokoll eller beslut om vem som tecknar organisationens firma" in content
    assert "45\xa0byte" in content  # the size, as filesizeformat writes it in Swedish
    download = reverse("organisations:document_download", args=[document.pk])
    assert f'href="{download}"' in content
    response = client.get(download)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"].startswith("attachment")
    assert "Protokoll.pdf" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"


@pytest.mark.parametrize("who", ["admin", "member"])
def test_the_organisations_representatives_may_download(client, applying, who):
    application, admin, member = applying
    services.application_document_add(
        application=application, kind="statutes", upload=_pdf(), uploaded_by=admin
    )
    client.force_login({"admin": admin, "member": member}[who])
    document = ApplicationDocument.objects.get()
    response = client.get(reverse("organisations:document_download", args=[document.pk]))
    assert response.status_code == 200


@pytest.mark.parametrize("who", ["anonymous", "stranger", "other_admin"])
def test_anyone_else_gets_404(client, applying, who):
    application, admin, _member = applying
    services.application_document_add(
        application=application, kind="statutes", upload=_pdf(), uploaded_by=admin
    )
    document = ApplicationDocument.objects.get()
    if who == "stranger":
        client.force_login(UserFactory())
    elif who == "other_admin":
        other = OrganisationApplicationFactory()
        MembershipFactory(user=other.applicant, organisation=other.organisation, role="admin")
        client.force_login(other.applicant)
    urls = [
        reverse("organisations:document_download", args=[document.pk]),
        reverse("organisations:document_download", args=[document.pk + 1000]),
    ]
    if who != "anonymous":
        urls.append(_documents_url(application))
    for url in urls:
        assert client.get(url).status_code == 404, url
    if who != "anonymous":
        delete = reverse("organisations:document_delete", args=[document.pk])
        assert client.post(delete).status_code == 404
        assert ApplicationDocument.objects.filter(pk=document.pk).exists()


# --- Asking for a document, answering with it ---------------------------------------------------


def test_staff_ask_for_a_document_the_applicant_uploads_it_and_staff_are_told(
    client, applying, django_capture_on_commit_callbacks
):
    application, admin, _member = applying
    staff = make_staff_with_mfa()
    opted_out = make_staff_with_mfa(email="tyst@example.se")
    from lov_portal.reminders.models import ReminderOptOut

    ReminderOptOut.objects.create(user=opted_out, kind="application_replied_notice")
    staff_client = Client()
    staff_client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            reverse("organisations:review_detail", args=[application.pk]),
            {
                "action": ReviewAction.REQUEST_INFO,
                "reason": "Vi behöver se vem som tecknar firman.",
                "requested_document": "signing_authority",
            },
        )
    assert response.status_code == 302
    (to_applicant,) = [m for m in mail.outbox if m.to == [admin.email]]
    assert "Begärt dokument: Protokoll eller beslut" in to_applicant.body

    # The applicant sees the request on the application page and on the to-do page.
    client.force_login(admin)
    mine = client.get(reverse("organisations:mine")).content.decode()
    assert "Begärt dokument:" in mine
    todo = client.get(reverse("todo")).content.decode()
    assert "Ansökningar att komplettera" in todo
    assert "Begärt dokument: Protokoll eller beslut" in todo
    assert '<span class="count-badge">1<' in todo  # counted in the navigation too
    reply_url = reverse("organisations:reply", args=[application.organisation.slug])
    assert f'href="{reply_url}"' in todo

    # A reply without the requested document is refused, with nothing saved.
    response = client.post(reply_url, {"message": "Här kommer det."})
    assert response.status_code == 400
    assert "Kansliet har begärt: Protokoll eller beslut" in response.content.decode()
    assert not ApplicationReview.objects.filter(action=ReviewAction.APPLICANT_REPLY).exists()

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reply_url,
            {
                "message": "Protokollet från årsmötet.",
                "kind": "signing_authority",
                "file": _pdf("Årsmötesprotokoll.pdf"),
            },
        )
    assert response.status_code == 302
    application.organisation.refresh_from_db()
    assert application.organisation.status == OrganisationStatus.APPLIED
    reply = ApplicationReview.objects.get(action=ReviewAction.APPLICANT_REPLY)
    document = ApplicationDocument.objects.get()
    assert document.reply == reply
    assert document.kind == "signing_authority"

    # Staff see it in the review and are told at once; the one who opted out is not.
    page = staff_client.get(reverse("organisations:review_detail", args=[application.pk]))
    assert "Årsmötesprotokoll.pdf" in page.content.decode()
    (notice,) = [m for m in mail.outbox if m.to == [staff.email]]
    assert "Komplettering från" in notice.subject
    assert "Årsmötesprotokoll.pdf" in notice.body
    assert f"/organisationer/granskning/{application.pk}/" in notice.body
    assert [m for m in mail.outbox if m.to == [opted_out.email]] == []
    # A document sent with a reply is evidence: the applicant cannot take it back.
    client.post(reverse("organisations:document_delete", args=[document.pk]))
    assert ApplicationDocument.objects.filter(pk=document.pk).exists()


def test_a_refused_file_in_a_reply_saves_no_reply(client, applying):
    application, admin, _member = applying
    _ask_for(application, "statutes")
    client.force_login(admin)
    response = client.post(
        reverse("organisations:reply", args=[application.organisation.slug]),
        {"kind": "statutes", "file": SimpleUploadedFile("stadgar.pdf", b"MZ fake")},
    )
    assert response.status_code == 400
    assert "Filens innehåll stämmer inte med filtypen .pdf" in response.content.decode()
    assert not ApplicationReview.objects.filter(action=ReviewAction.APPLICANT_REPLY).exists()
    assert ApplicationDocument.objects.count() == 0
    assert _stored_files() == []
    application.organisation.refresh_from_db()
    assert application.organisation.status == OrganisationStatus.INFO_REQUESTED


def test_a_document_can_only_be_asked_for_with_a_request_for_more_information(client, applying):
    application, _admin, _member = applying
    client.force_login(make_staff_with_mfa())
    response = client.post(
        reverse("organisations:review_detail", args=[application.pk]),
        {"action": ReviewAction.APPROVE, "requested_document": "statutes"},
    )
    assert response.status_code == 200
    assert "Ett dokument kan bara begäras när du begär komplettering." in response.content.decode()
    application.organisation.refresh_from_db()
    assert application.organisation.status == OrganisationStatus.APPLIED


def test_submitting_the_application_leads_to_the_documents(client):
    from tests.organisations.test_views import _apply

    client.force_login(UserFactory())
    response = _apply(client)
    assert response["Location"].endswith("/dokument/")
    assert client.get(response["Location"]).status_code == 200


# --- Privacy ------------------------------------------------------------------------------------


def test_the_personal_data_export_lists_the_application_and_its_documents(applying):
    from lov_portal.privacy.selectors import personal_data_export

    application, admin, _member = applying
    services.application_document_add(
        application=application, kind="registration", upload=_pdf("bevis.pdf"), uploaded_by=admin
    )
    data = personal_data_export(user=admin)
    assert data["applications"][0]["organisation"] == application.organisation.name
    (document,) = data["application_documents"]
    assert document["original_name"] == "bevis.pdf"
    assert document["kind"] == "registration"


# --- Markup -------------------------------------------------------------------------------------


def test_the_document_pages_are_valid_html(client, applying, tmp_path):
    import json
    import shutil
    import subprocess

    from tests.test_html_validity import _vnu_jar

    if _vnu_jar() is None or shutil.which("java") is None:
        pytest.skip("needs the Nu Html Checker (see tests/test_html_validity.py)")
    application, admin, _member = applying
    services.application_document_add(
        application=application, kind="statutes", upload=_pdf(), uploaded_by=admin
    )
    _ask_for(application, "registration")
    client.force_login(admin)
    slug = application.organisation.slug
    pages = {
        "documents": client.get(_documents_url(application)),
        "reply": client.get(reverse("organisations:reply", args=[slug])),
        "reply-errors": client.post(reverse("organisations:reply", args=[slug]), {}),
        "mine": client.get(reverse("organisations:mine")),
        "todo": client.get(reverse("todo")),
    }
    application.organisation.status = OrganisationStatus.APPLIED
    application.organisation.save()
    pages["documents-errors"] = client.post(_documents_url(application), {"kind": "nej"})
    client.force_login(make_staff_with_mfa(email="granskare@example.se"))
    pages["review"] = client.get(reverse("organisations:review_detail", args=[application.pk]))
    for name, response in pages.items():
        assert response.status_code in (200, 400), name
        (tmp_path / f"{name}.html").write_bytes(response.content)
    result = subprocess.run(
        ["java", "-jar", _vnu_jar(), "--errors-only", "--format", "json"]
        + [str(p) for p in sorted(tmp_path.glob("*.html"))],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    messages = json.loads(result.stderr or "{}").get("messages", [])
    errors = [f"{m.get('url')}: {m.get('message')}" for m in messages if m.get("type") == "error"]
    assert not errors, "\n".join(errors)


@pytest.mark.parametrize(
    "name",
    ["a\x00b.pdf", "x" * 3000 + ".pdf", "a\r\nBcc: evil@example.com.pdf", ".pdf", "²³.PDF", ""],
)
def test_hostile_file_names_and_kinds_give_no_server_error(client, applying, name):
    application, admin, _member = applying
    client.force_login(admin)
    upload = SimpleUploadedFile(name or "x", PDF) if name else SimpleUploadedFile("x", b"")
    for kind in ("statutes", "²", "a\x00b", "x" * 3000):
        response = _upload(client, application, upload, kind=kind)
        upload.seek(0)
        assert response.status_code < 500, (name, kind)
    for document in ApplicationDocument.objects.all():
        assert "\x00" not in document.original_name
        assert "\n" not in document.original_name
        assert len(document.original_name) <= 200


def test_the_review_and_documents_pages_run_the_same_queries_for_one_or_many_documents(
    client, applying
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    application, admin, _member = applying
    staff = make_staff_with_mfa()

    def counts() -> tuple[int, int]:
        numbers = []
        for user, url in (
            (staff, reverse("organisations:review_detail", args=[application.pk])),
            (admin, _documents_url(application)),
        ):
            client.force_login(user)
            client.get(url)
            with CaptureQueriesContext(connection) as context:
                assert client.get(url).status_code == 200
            numbers.append(len(context))
        return tuple(numbers)

    services.application_document_add(
        application=application, kind="statutes", upload=_pdf(), uploaded_by=admin
    )
    one = counts()
    for n in range(4):
        services.application_document_add(
            application=application,
            kind="other",
            upload=_pdf(f"bilaga-{n}.pdf"),
            uploaded_by=UserFactory(),
        )
    assert counts() == one


def test_erasing_an_uploaders_account_keeps_the_organisations_documents(applying):
    from lov_portal.privacy.services import account_anonymise

    application, _admin, _member = applying
    uploader = UserFactory(email="styrelse@ansokande.example.se")
    MembershipFactory(user=uploader, organisation=application.organisation, role="admin")
    services.application_document_add(
        application=application, kind="statutes", upload=_pdf(), uploaded_by=uploader
    )
    account_anonymise(user=uploader)
    document = ApplicationDocument.objects.get()
    assert document.uploaded_by == uploader
    uploader.refresh_from_db()
    assert uploader.email.startswith("raderad-")
    assert document.file.storage.exists(document.file.name)


def test_the_take_back_button_carries_the_csrf_token_so_a_real_browser_is_not_refused(
    client, applying
):
    # The document table is included with `only`, which leaves out the token the context
    # processors give: without it passed on, every real press of "Ta bort" met a 403.
    application, admin, _member = applying
    client.force_login(admin)
    _upload(client, application, _pdf())
    document = ApplicationDocument.objects.get()
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(admin)
    page = browser.get(_documents_url(application)).content.decode()
    action = reverse("organisations:document_delete", args=[document.pk])
    form = page[page.index(f'action="{action}"') :]
    form = form[: form.index("</form>")]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form)
    assert token, "the delete form has no CSRF token"
    response = browser.post(action, {"csrfmiddlewaretoken": token.group(1)})
    assert response.status_code == 302
    assert not ApplicationDocument.objects.filter(pk=document.pk).exists()
