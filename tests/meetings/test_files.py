import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from meetings.files import OLE2, attachment_check


def zipped(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


OOXML = "application/vnd.openxmlformats-officedocument"
WORD = f"{OOXML}.wordprocessingml.document.main+xml"
DOCX = zipped(
    {
        "[Content_Types].xml": f"<Types>{WORD}</Types>".encode(),
        "word/document.xml": b"<w:document/>",
    }
)
XLSX = zipped(
    {
        "[Content_Types].xml": f"<Types>{OOXML}.spreadsheetml.sheet.main+xml</Types>".encode(),
        "xl/workbook.xml": b"<workbook/>",
    }
)
ODT = zipped({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>"})
ODS = zipped({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet", "content.xml": b""})
PLAIN_ZIP = zipped({"readme.txt": b"hej"})


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("protokoll.pdf", b"%PDF-1.7\n...", "application/pdf"),
        ("brev.doc", OLE2 + b"\x00" * 40, "application/msword"),
        ("budget.xls", OLE2 + b"\x00" * 40, "application/vnd.ms-excel"),
        (
            "brev.DOCX",
            DOCX,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        ("budget.xlsx", XLSX, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("text.odt", ODT, "application/vnd.oasis.opendocument.text"),
        ("kalkyl.ods", ODS, "application/vnd.oasis.opendocument.spreadsheet"),
        ("bild.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 20, "image/png"),
        ("foto.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 20, "image/jpeg"),
        ("anim.gif", b"GIF89a" + b"\x00" * 20, "image/gif"),
        ("bild.webp", b"RIFF\x00\x00\x00\x00WEBPVP8 ", "image/webp"),
    ],
)
def test_allowed_files_pass_by_content_and_extension(name, content, content_type):
    checked = attachment_check(SimpleUploadedFile(name, content))
    assert checked.content_type == content_type
    assert checked.size == len(content)


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("program.exe", b"MZ\x90\x00", "extension"),
        ("sida.html", b"<html><script>", "extension"),
        ("bild.svg", b"<svg onload=alert(1)>", "extension"),
        ("utan-filandelse", b"%PDF-1.4", "extension"),
        ("falsk.pdf", b"MZ\x90\x00", "content"),
        ("falsk.png", b"%PDF-1.4", "content"),
        ("falsk.docx", PLAIN_ZIP, "content"),
        ("fel.docx", XLSX, "content"),
        ("fel.odt", ODS, "content"),
        ("trasig.xlsx", b"PK\x03\x04 inte en zip", "content"),
        ("falsk.doc", b"%PDF-1.4", "content"),
    ],
)
def test_other_files_are_refused(name, content, code):
    with pytest.raises(ValidationError) as caught:
        attachment_check(SimpleUploadedFile(name, content))
    assert caught.value.code == code


def test_a_file_over_the_limit_is_refused_with_the_limit_in_the_message(settings):
    settings.MEETINGS_ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
    big = SimpleUploadedFile("stor.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024))
    with translation.override("sv"), pytest.raises(ValidationError) as caught:
        attachment_check(big)
    assert caught.value.code == "too_large"
    assert "högst 10,0\xa0MB" in caught.value.messages[0]
