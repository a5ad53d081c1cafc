"""The one upload policy, on every upload field: hostile files are refused, cheaply.

Issue 15: an executable named .pdf and HTML named .txt were accepted as commitment evidence; a
400 KB .odt whose `mimetype` entry inflates to 400 MB of spaces and a .docx with 180,000 entries
were accepted as meeting attachments (the server grew by 627 MB and 430 MB).
"""

from __future__ import annotations

import io
import tracemalloc
import zipfile
from collections.abc import Callable

import factory
import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models

from lov_portal.core.uploads import (
    MAX_ARCHIVE_ENTRIES,
    UploadPolicy,
    attachment_response,
    sniffed_content_type,
)
from organisations.models import ReviewAction
from organisations.services import application_document_add, application_reply, application_review
from tests.organisations.factories import OrganisationApplicationFactory
from tests.permissions import make_staff_with_mfa

DOCX_TYPES = (
    b'<Types><Override PartName="/word/document.xml" ContentType="application/'
    b'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)
ODT_TYPE = b"application/vnd.oasis.opendocument.text"


def zipped(entries: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


DOCX = zipped({"[Content_Types].xml": DOCX_TYPES, "word/document.xml": b"<w:document/>"})
ODT = zipped({"mimetype": ODT_TYPE, "content.xml": b"<office:document-content/>"})


@pytest.fixture(scope="session")
def odt_bomb() -> bytes:
    """About 400 KB on disk; its `mimetype` entry inflates to 400 MB of spaces."""
    buffer = io.BytesIO()
    block = b" " * (1024 * 1024)
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        with archive.open("mimetype", "w") as entry:
            entry.write(ODT_TYPE)
            for _ in range(400):
                entry.write(block)
        archive.writestr("content.xml", b"<office:document-content/>")
    data = buffer.getvalue()
    assert len(data) < 600 * 1024
    return data


def _docx_with_empty_entries(count: int) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("[Content_Types].xml", DOCX_TYPES)
        archive.writestr("word/document.xml", b"<w:document/>")
        for number in range(count):
            archive.writestr(f"w/{number}", b"")
    return buffer.getvalue()


@pytest.fixture(scope="session")
def docx_many() -> bytes:
    """A .docx with 180,000 (empty) entries: about 16 MB, under the meetings' 20 MB limit."""
    return _docx_with_empty_entries(180_000)


@pytest.fixture(scope="session")
def docx_many_lying() -> bytes:
    """5,000 entries whose end record says 2: the directory itself must be counted."""
    data = bytearray(_docx_with_empty_entries(5000))
    end = data.rfind(b"PK\x05\x06")
    data[end + 8 : end + 12] = (2).to_bytes(2, "little") * 2
    return bytes(data)


HOSTILE = {
    "mz-as-pdf": lambda: ("rapport.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200),
    "mz-as-docx": lambda: ("rapport.docx", b"MZ\x90\x00" + DOCX),
    "html-as-text": lambda: ("rapport.txt", b"Hej!\n<HTML><body>inte text</body></html>"),
    "script-as-text": lambda: ("data.csv", b"a;b\n1;<script>alert(1)</script>\n"),
    "svg": lambda: ("bild.svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'),
    "svg-as-text": lambda: ("bild.txt", b"<svg onload=alert(1)>"),
    "svg-as-png": lambda: ("bild.png", b"<svg onload=alert(1)>"),
    "latin1-as-text": lambda: ("text.txt", "Åtagande".encode("latin-1")),
}


def hostile_files(odt_bomb: bytes, docx_many: bytes) -> dict[str, tuple[str, bytes]]:
    files = {key: make() for key, make in HOSTILE.items()}
    files["odt-bomb"] = ("protokoll.odt", odt_bomb)
    files["docx-180000-entries"] = ("bilaga.docx", docx_many)
    return files


# --- The policy itself ------------------------------------------------------------------------

ALL = UploadPolicy(
    extensions=("pdf", "docx", "xlsx", "odt", "ods", "txt", "csv", "png", "svg"),
    max_bytes=30 * 1024 * 1024,
)


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("a.pdf", b"%PDF-1.7\n", "application/pdf"),
        ("a.docx", DOCX, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("a.odt", ODT, "application/vnd.oasis.opendocument.text"),
        ("a.txt", "Åtagande 1.2: klart.\n".encode(), "text/plain; charset=utf-8"),
        ("a.csv", b"\xef\xbb\xbfa;b\n1;2 < 3\n", "text/csv; charset=utf-8"),
    ],
)
def test_real_files_pass_and_get_the_type_their_content_proves(name, content, content_type):
    assert ALL.check(SimpleUploadedFile(name, content)).content_type == content_type


@pytest.mark.parametrize(
    "content",
    [
        zipped({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w/>"}),
        zipped(
            {
                "[Content_Types].xml": DOCX_TYPES,
                "word/document.xml": b"<w/>",
                "word/vbaProject.bin": b"macro",
            }
        ),
        b"PK\x03\x04 trasig",
    ],
    ids=["no-main-part", "macros", "broken"],
)
def test_a_docx_must_be_a_word_document_inside(content):
    with pytest.raises(ValidationError) as caught:
        ALL.check(SimpleUploadedFile("a.docx", content))
    assert caught.value.code == "content"


REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _rels(*relationships: str, declaration: str = "") -> str:
    return (
        f'{declaration}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
        f'relationships">{"".join(relationships)}</Relationships>'
    )


def _docx_with_rels(rels: bytes, types: bytes = DOCX_TYPES) -> bytes:
    return zipped(
        {
            "[Content_Types].xml": types,
            "word/document.xml": b"<w:document/>",
            "word/_rels/document.xml.rels": rels,
        }
    )


def test_a_docx_with_a_hyperlink_and_its_own_parts_passes():
    rels = _rels(
        f'<Relationship Id="rId1" Type="{REL}/styles" Target="styles.xml"/>',
        f'<Relationship Id="rId2" Type="{REL}/hyperlink" Target="https://www.timra.se/" '
        'TargetMode="External"/>',
    )
    assert ALL.check(SimpleUploadedFile("a.docx", _docx_with_rels(rels.encode()))).extension


@pytest.mark.parametrize(
    "rels",
    [
        # An image fetched from elsewhere when the document is opened.
        _rels(
            f'<Relationship Id="rId1" Type="{REL}/image" Target="https://evil.example/x.png" '
            'TargetMode="External"/>'
        ).encode(),
        # The same, spelled with a character reference and single quotes.
        _rels(
            f"<Relationship Id='rId1' Target='//evil/x' TargetMode='&#69;xternal' "
            f"Type='{REL}/frame'/>"
        ).encode(),
        # A foreign document embedded (altChunk's relationship type is aFChunk).
        _rels(f'<Relationship Id="rId1" Type="{REL}/aFChunk" Target="x.htm"/>').encode(),
        _rels(f'<Relationship Id="rId1" Type="{REL}/oleObject" Target="x.bin"/>').encode(),
        # A renamed macro project, in UTF-16 (what a byte search for "vbaProject" misses).
        _rels(
            '<Relationship Id="rId1" Type="http://schemas.microsoft.com/office/2006/'
            'relationships/vbaProject" Target="a.bin"/>',
            declaration='<?xml version="1.0" encoding="UTF-16"?>',
        ).encode("utf-16"),
        # A `>` inside a value must not hide the attributes after it.
        _rels(
            f'<Relationship Id="rId1" Target="a>b" TargetMode="External" Type="{REL}/image"/>'
        ).encode(),
        # Another encoding, or a DTD that could define entities: refused outright.
        _rels(declaration='<?xml version="1.0" encoding="ISO-8859-1"?>').encode(),
        _rels(declaration='<!DOCTYPE r [<!ENTITY e "External">]>').encode(),
    ],
    ids=[
        "external-image",
        "escaped-frame",
        "altchunk",
        "ole-object",
        "utf16-vba",
        "gt-in-value",
        "latin1",
        "dtd",
    ],
)
def test_a_docx_that_runs_or_fetches_something_is_refused(rels):
    with pytest.raises(ValidationError) as caught:
        ALL.check(SimpleUploadedFile("a.docx", _docx_with_rels(rels)))
    assert caught.value.code == "content"


def test_a_macro_enabled_document_renamed_docx_is_refused():
    types = DOCX_TYPES + (
        b'<Override PartName="/word/x" ContentType="application/vnd.ms-word.document.'
        b'macroEnabled.main+xml"/>'
    )
    with pytest.raises(ValidationError):
        ALL.check(SimpleUploadedFile("a.docx", _docx_with_rels(_rels().encode(), types)))


def test_the_relationships_are_read_only_within_the_limits():
    big = _rels(
        *[f'<Relationship Id="r{i}" Type="{REL}/styles" Target="s.xml"/>' for i in range(5000)]
    ).encode()
    assert len(big) > 256 * 1024
    with pytest.raises(ValidationError):
        ALL.check(SimpleUploadedFile("a.docx", _docx_with_rels(big)))


@pytest.mark.parametrize("folder", ["Basic/Standard/", "Scripts/python/", "Object 1/Basic/"])
def test_an_odt_with_macros_or_scripts_is_refused(folder):
    content = zipped(
        {"mimetype": ODT_TYPE, "content.xml": b"<x/>", f"{folder}Module1.xml": b"<m/>"},
        zipfile.ZIP_STORED,
    )
    with pytest.raises(ValidationError):
        ALL.check(SimpleUploadedFile("a.odt", content))


def test_an_odt_whose_mimetype_is_not_first_is_refused():
    content = zipped({"content.xml": b"<x/>", "mimetype": ODT_TYPE})
    with pytest.raises(ValidationError):
        ALL.check(SimpleUploadedFile("a.odt", content))


@pytest.mark.parametrize("key", [*HOSTILE, "odt-bomb", "docx-180000-entries", "lying-count"])
def test_hostile_files_are_refused_by_the_policy_with_little_memory(
    key, odt_bomb, docx_many, docx_many_lying
):
    files = hostile_files(odt_bomb, docx_many)
    files["lying-count"] = ("bilaga.docx", docx_many_lying)
    name, content = files[key]
    upload = SimpleUploadedFile(name, content)
    tracemalloc.start()
    try:
        with pytest.raises(ValidationError) as caught:
            ALL.check(upload)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert caught.value.code in ("content", "archive", "extension")
    assert peak < 2 * 1024 * 1024, f"{key}: {peak} bytes"


def test_the_archive_limits_are_reported_as_such(docx_many, odt_bomb):
    for name, content in (("a.docx", docx_many), ("a.odt", odt_bomb)):
        with pytest.raises(ValidationError) as caught:
            ALL.check(SimpleUploadedFile(name, content))
        assert caught.value.code == "archive"
        assert str(MAX_ARCHIVE_ENTRIES) in caught.value.messages[0].replace("\xa0", "")


# --- Every upload field ---------------------------------------------------------------------


def _raise_errors_of(form, field: str) -> None:
    """Validate the form and raise its errors on `field`, if any, as a ValidationError."""
    form.is_valid()
    if field in form.errors:
        raise ValidationError(form.errors[field])


def _meeting_attachment(upload: SimpleUploadedFile) -> None:
    from meetings.files import attachment_check

    attachment_check(upload)


def _commitment_update_form(upload: SimpleUploadedFile) -> None:
    from commitments.forms import StatusUpdateForm
    from commitments.models import Commitment

    form = StatusUpdateForm(
        {"status": "in_progress", "refers_to": "2026-03-01"},
        {"attachment": upload},
        commitments=Commitment.objects.none(),
        can_mark_internal=False,
    )
    _raise_errors_of(form, "attachment")


def _commitment_update_service(upload: SimpleUploadedFile) -> None:
    from commitments.services import status_update_record
    from tests.commitments.factories import CommitmentFactory

    commitment = CommitmentFactory()
    status_update_record(
        commitment=commitment,
        author=None,
        status="in_progress",
        refers_to="2026-03-01",
        attachment=upload,
    )


def _commitment_update_admin(upload: SimpleUploadedFile) -> None:
    from commitments.admin import StatusUpdateAdminForm

    _raise_errors_of(StatusUpdateAdminForm({}, {"attachment": upload}), "attachment")


def _commitment_import_form(upload: SimpleUploadedFile) -> None:
    from commitments.forms import ImportForm

    _raise_errors_of(ImportForm({}, {"file": upload}), "file")


def _application_document_service(upload: SimpleUploadedFile) -> None:

    application = OrganisationApplicationFactory()
    application_document_add(
        application=application, kind="statutes", upload=upload, uploaded_by=application.applicant
    )


def _application_reply_service(upload: SimpleUploadedFile) -> None:

    application = OrganisationApplicationFactory()
    application_review(
        application=application,
        reviewer=make_staff_with_mfa(email="kansli-policy@example.se"),
        action=ReviewAction.REQUEST_INFO,
        reason="Stadgarna, tack.",
        requested_document="statutes",
    )
    application_reply(
        application=application,
        author=application.applicant,
        message="Här.",
        upload=upload,
        kind="statutes",
    )


# The Swedish fake-data provider the factories use loads on first use (about 5 MB, counted
# by tracemalloc): load it now, so the limits below measure the upload checks only.
factory.Faker._get_faker(locale="sv_SE")

UPLOAD_FIELDS: dict[str, Callable[[SimpleUploadedFile], None]] = {
    "meetings.Attachment.file": _meeting_attachment,
    "commitments.StatusUpdate.attachment (form)": _commitment_update_form,
    "commitments.StatusUpdate.attachment (service)": _commitment_update_service,
    "commitments.StatusUpdate.attachment (admin)": _commitment_update_admin,
    "commitments.ImportForm.file (form only)": _commitment_import_form,
    "organisations.ApplicationDocument.file (service)": _application_document_service,
    "organisations.ApplicationDocument.file (reply service)": _application_reply_service,
}
# Files the server makes itself, never uploaded by a person.
SERVER_MADE = {"reports.ReportEdition.file", "meetings.MinutesPdf.file"}


def test_every_model_file_field_is_covered_here():
    found = {
        f"{model._meta.app_label}.{model.__name__}.{field.name}"
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if isinstance(field, models.FileField)
    }
    covered = {key.split(" ")[0] for key in UPLOAD_FIELDS} | SERVER_MADE
    assert found <= covered, f"upload fields without a policy test: {found - covered}"


# Forms whose file field is checked in the service they hand it to (named above).
CHECKED_BY_SERVICE = {
    "meetings.forms.AttachmentForm.file",
    "organisations.forms.ApplicationDocumentForm.file",
    "organisations.forms.ApplicantReplyForm.file",
}


def _all_subclasses(cls: type) -> set[type]:
    found = set()
    for sub in cls.__subclasses__():
        found |= {sub} | _all_subclasses(sub)
    return found


def test_every_form_file_field_is_covered_here():
    import contextlib
    import importlib

    from django import forms

    for config in apps.get_app_configs():
        with contextlib.suppress(ModuleNotFoundError):
            importlib.import_module(f"{config.name}.forms")
    found = {
        f"{form.__module__}.{form.__name__}.{name}"
        for form in _all_subclasses(forms.BaseForm)
        if form.__module__.split(".")[0]
        in {"agreements", "commitments", "meetings", "lov_portal", "organisations"}
        for name, field in form.base_fields.items()
        if isinstance(field, forms.FileField)
    }
    covered = {
        "commitments.forms.StatusUpdateForm.attachment",
        "commitments.forms.ImportForm.file",
        "commitments.admin.StatusUpdateAdminForm.attachment",
    } | CHECKED_BY_SERVICE
    assert found == covered, f"upload form fields without a policy test: {found - covered}"


# The CSV import also takes cp1252 text (older Excel): not UTF-8 is not hostile there.
CASES = [
    (field, key)
    for key in [*HOSTILE, "odt-bomb", "docx-180000-entries"]
    for field in UPLOAD_FIELDS
    if not (key == "latin1-as-text" and "ImportForm" in field)
]


@pytest.mark.django_db
@pytest.mark.parametrize(("field", "key"), CASES)
def test_hostile_files_are_refused_on_every_upload_field(
    field, key, odt_bomb, docx_many, module_lov
):
    name, content = hostile_files(odt_bomb, docx_many)[key]
    upload = SimpleUploadedFile(name, content)
    tracemalloc.start()
    try:
        with pytest.raises(ValidationError):
            UPLOAD_FIELDS[field](upload)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 4 * 1024 * 1024, f"{field} {key}: {peak} bytes"


@pytest.mark.django_db
def test_a_good_file_is_stored_under_a_generated_name_through_the_service(module_lov):
    from commitments.services import status_update_record
    from tests.commitments.factories import CommitmentFactory

    update = status_update_record(
        commitment=CommitmentFactory(),
        author=None,
        status="in_progress",
        refers_to="2026-03-01",
        attachment=SimpleUploadedFile("Min rapport <x>.pdf", b"%PDF-1.4 underlag"),
    )
    stored = update.attachment.name.rsplit("/", 1)[-1]
    assert "rapport" not in stored and stored.endswith(".pdf") and len(stored) == 36


# --- Serving ----------------------------------------------------------------------------------


def test_a_stored_file_is_served_with_the_type_its_content_proves(tmp_path):
    from django.core.files import File

    path = tmp_path / "x.txt"
    path.write_bytes(b"<html>was stored before the policy</html>")
    with open(path, "rb") as handle:
        assert sniffed_content_type(handle, "x.txt") == "application/octet-stream"
    path = tmp_path / "y.pdf"
    path.write_bytes(b"%PDF-1.4")
    with open(path, "rb") as handle:
        response = attachment_response(File(handle, name=str(path)), filename="a.pdf")
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment;")


@pytest.mark.parametrize(
    "content", ["Åtagande;Status\n1.1;Pågår\n".encode(), "Åtagande;Status\n".encode("cp1252")]
)
def test_the_import_takes_utf8_and_excel_cp1252_text(content):
    from commitments.forms import ImportForm

    form = ImportForm({}, {"file": SimpleUploadedFile("export.csv", content)})
    assert form.is_valid(), form.errors
