"""What an attachment may be: checked by its content (magic bytes) and by its extension."""

from __future__ import annotations

import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

DEFAULT_MAX_BYTES = 20 * 1024 * 1024

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP = b"PK\x03\x04"

# extension -> (content type, family of content that must be found in the file)
ALLOWED = {
    "pdf": ("application/pdf", "pdf"),
    "doc": ("application/msword", "ole2"),
    "xls": ("application/vnd.ms-excel", "ole2"),
    "docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "ooxml:word/",
    ),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "ooxml:xl/"),
    "odt": ("application/vnd.oasis.opendocument.text", "odf"),
    "ods": ("application/vnd.oasis.opendocument.spreadsheet", "odf"),
    "odp": ("application/vnd.oasis.opendocument.presentation", "odf"),
    "png": ("image/png", "png"),
    "jpg": ("image/jpeg", "jpeg"),
    "jpeg": ("image/jpeg", "jpeg"),
    "gif": ("image/gif", "gif"),
    "webp": ("image/webp", "webp"),
}


@dataclass(frozen=True)
class CheckedFile:
    extension: str
    content_type: str
    size: int


def attachment_max_bytes() -> int:
    return int(getattr(settings, "MEETINGS_ATTACHMENT_MAX_BYTES", DEFAULT_MAX_BYTES))


def _content_matches(family: str, extension: str, upload: UploadedFile) -> bool:
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if family == "pdf":
        return head.startswith(b"%PDF-")
    if family == "ole2":
        return head.startswith(OLE2)
    if family == "png":
        return head.startswith(b"\x89PNG\r\n\x1a\n")
    if family == "jpeg":
        return head.startswith(b"\xff\xd8\xff")
    if family == "gif":
        return head[:6] in (b"GIF87a", b"GIF89a")
    if family == "webp":
        return head[:4] == b"RIFF" and head[8:12] == b"WEBP"
    if not head.startswith(ZIP):
        return False
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
            if family == "odf":
                if "mimetype" not in names:
                    return False
                mimetype = archive.read("mimetype").decode("ascii", "replace").strip()
                return mimetype == ALLOWED[extension][0]
            prefix = family.split(":", 1)[1]
            return "[Content_Types].xml" in names and any(n.startswith(prefix) for n in names)
    except (zipfile.BadZipFile, OSError, KeyError):
        return False
    finally:
        upload.seek(0)


def attachment_check(upload: UploadedFile) -> CheckedFile:
    """Raise ValidationError unless the file is an allowed type, by extension and content."""
    limit = attachment_max_bytes()
    if upload.size is not None and upload.size > limit:
        raise ValidationError(
            _("Filen är %(size)s. Bilagor får vara högst %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            code="too_large",
        )
    name = upload.name or ""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in ALLOWED:
        raise ValidationError(
            _(
                "Filtypen är inte tillåten. Tillåtna är PDF, Word, Excel, OpenDocument och "
                "bilder (PNG, JPEG, GIF, WebP)."
            ),
            code="extension",
        )
    content_type, family = ALLOWED[extension]
    if not _content_matches(family, extension, upload):
        raise ValidationError(
            _("Filens innehåll stämmer inte med filtypen .%(extension)s.")
            % {"extension": extension},
            code="content",
        )
    return CheckedFile(extension=extension, content_type=content_type, size=upload.size or 0)
