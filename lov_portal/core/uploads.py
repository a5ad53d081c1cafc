"""Safe uploads: checked by content and extension, limited in size, stored under names the
server makes up, outside the static files, and served as attachments by a view that has
checked permission (docs/security.md).

Use in a model: `file = models.FileField(upload_to=private_upload_to("minutes"),
validators=[UploadValidator()])`, and in the download view `return attachment_response(obj.file,
filename=...)` after the permission check.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.core.files import File
from django.http import FileResponse
from django.utils.deconstruct import deconstructible
from django.utils.text import get_valid_filename
from django.utils.translation import gettext_lazy as _

MAX_UPLOAD_BYTES = 20 * 1024 * 1024

# Extension → the magic bytes its content must start with.
SIGNATURES: dict[str, tuple[bytes, ...]] = {
    "pdf": (b"%PDF-",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    # Office Open XML (docx, xlsx) and OpenDocument are zip containers.
    "docx": (b"PK\x03\x04",),
    "xlsx": (b"PK\x03\x04",),
    "odt": (b"PK\x03\x04",),
    "ods": (b"PK\x03\x04",),
}
# Content that is never accepted whatever the name says (executables and scripts).
FORBIDDEN_PREFIXES = (b"MZ", b"\x7fELF", b"#!", b"\xca\xfe\xba\xbe", b"\xcf\xfa\xed\xfe")


def extension_of(name: str) -> str:
    return PurePath(name).suffix.lower().lstrip(".")


@deconstructible
@dataclass
class UploadValidator:
    extensions: tuple[str, ...] = ("pdf", "docx", "odt", "xlsx", "ods", "png", "jpg", "jpeg")
    max_bytes: int = MAX_UPLOAD_BYTES

    def __call__(self, upload: File) -> None:
        if upload.size is not None and upload.size > self.max_bytes:
            raise ValidationError(
                _("Filen är för stor (högst %(mb)s MB)."),
                code="too_large",
                params={"mb": self.max_bytes // (1024 * 1024)},
            )
        extension = extension_of(upload.name or "")
        if extension not in self.extensions or extension not in SIGNATURES:
            raise ValidationError(
                _("Filtypen är inte tillåten. Tillåtna: %(types)s."),
                code="extension",
                params={"types": ", ".join(self.extensions)},
            )
        position = upload.tell() if hasattr(upload, "tell") else 0
        upload.seek(0)
        head = upload.read(16)
        upload.seek(position)
        if head.startswith(FORBIDDEN_PREFIXES) or not head.startswith(SIGNATURES[extension]):
            raise ValidationError(_("Filens innehåll stämmer inte med filtypen."), code="content")


def private_upload_to(folder: str) -> Callable[[object, str], str]:
    """An `upload_to` that ignores the uploaded name except for its (checked) extension."""
    return _PrivateUploadTo(folder)


@deconstructible
class _PrivateUploadTo:
    def __init__(self, folder: str) -> None:
        self.folder = get_valid_filename(folder)

    def __call__(self, instance: object, filename: str) -> str:
        extension = extension_of(filename)
        suffix = f".{extension}" if extension in SIGNATURES else ""
        return f"{self.folder}/{uuid.uuid4().hex}{suffix}"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _PrivateUploadTo) and other.folder == self.folder

    def __hash__(self) -> int:
        return hash(self.folder)


def attachment_response(file: File, *, filename: str) -> FileResponse:
    """Serve a stored file as a download (never rendered inline). Check permission first."""
    safe_name = get_valid_filename(PurePath(filename).name) or "fil"
    file.open("rb")
    response = FileResponse(file, as_attachment=True, filename=safe_name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
