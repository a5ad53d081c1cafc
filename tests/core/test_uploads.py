"""Upload safety: content and extension, size, server-made names, attachment responses."""

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from lov_portal.core.uploads import UploadValidator, attachment_response, private_upload_to

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def test_a_real_pdf_is_accepted():
    UploadValidator()(upload("protokoll.pdf", PDF))


def test_a_disguised_executable_is_refused():
    with pytest.raises(ValidationError) as error:
        UploadValidator()(upload("protokoll.pdf", b"MZ\x90\x00\x03" + b"\x00" * 100))
    assert error.value.code == "content"


def test_a_script_renamed_to_pdf_is_refused():
    with pytest.raises(ValidationError):
        UploadValidator()(upload("protokoll.pdf", b"#!/bin/sh\nrm -rf /\n"))


def test_a_pdf_with_a_wrong_extension_is_refused():
    with pytest.raises(ValidationError) as error:
        UploadValidator()(upload("protokoll.exe", PDF))
    assert error.value.code == "extension"


def test_an_oversized_file_is_refused():
    with pytest.raises(ValidationError) as error:
        UploadValidator(max_bytes=1024)(upload("protokoll.pdf", PDF + b"0" * 2048))
    assert error.value.code == "too_large"


def test_a_path_traversal_name_becomes_a_server_made_name(tmp_path):
    upload_to = private_upload_to("minutes")
    name = upload_to(None, "../../../etc/passwd.pdf")
    assert name.startswith("minutes/") and ".." not in name and name.endswith(".pdf")
    assert "passwd" not in name
    stored = default_storage.save(name, ContentFile(PDF))
    assert (settings.MEDIA_ROOT / stored).resolve().is_relative_to(settings.MEDIA_ROOT.resolve())


def test_two_uploads_with_the_same_name_get_different_names():
    upload_to = private_upload_to("minutes")
    assert upload_to(None, "a.pdf") != upload_to(None, "a.pdf")


def test_uploads_are_stored_outside_the_static_files():
    media = settings.MEDIA_ROOT.resolve()
    assert not media.is_relative_to(settings.STATIC_ROOT.resolve())
    assert all(not media.is_relative_to(path.resolve()) for path in settings.STATICFILES_DIRS)


def test_a_download_is_an_attachment_with_a_safe_name():
    name = default_storage.save("minutes/x.pdf", ContentFile(PDF))
    with default_storage.open(name) as file:
        response = attachment_response(file, filename='../"evil".pdf')
        disposition = response["Content-Disposition"]
        b"".join(response.streaming_content)
    assert disposition.startswith("attachment;")
    assert ".." not in disposition and "/" not in disposition
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    ("name", "extension", "expected_end"),
    [
        ("a" * 196 + ".htm" + "b" * 51 + ".pdf", "pdf", "a.pdf"),
        ("a" * 300 + ".PDF", "pdf", "a.pdf"),
        ("stadgar", "pdf", "stadgar.pdf"),
        ("", "docx", "fil.docx"),
        ("a" * 196 + ".htm" + "b" * 51 + ".pdf", "", "a.pdf"),
    ],
)
def test_a_download_name_is_shortened_in_its_stem_and_keeps_the_checked_extension(
    name, extension, expected_end
):
    from lov_portal.core.uploads import download_name

    shortened = download_name(name, extension=extension)
    assert len(shortened) <= 200
    assert shortened.endswith(expected_end)
