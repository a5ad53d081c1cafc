"""One upload policy for the whole portal (docs/security.md, ENGINEERING.md "One way").

Every file a person uploads goes through `UploadPolicy.check`: the size is limited, the
extension must be one the field allows, and the *content* must be what the extension says
(magic bytes; zip containers by their internal structure; text by being valid UTF-8 without
markup). Executables are refused whatever they are called. Archives (docx, xlsx, odt, ...) are
inspected without inflating them: the central directory is read in bounded chunks, the number
of entries, the total declared uncompressed size and the compression ratio are bounded, and the
few entries we do read (`mimetype`, `[Content_Types].xml`) are read only up to a few kilobytes.
Those content checks live in `upload_content.py`; callers use the policy here.

Stored files get names the server makes up (`private_upload_to`, `generated_name`) and are
served by a view that has checked permission, as attachments with `nosniff` and the content
type sniffed from the content (`attachment_response`).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePath
from typing import IO

from django.core.exceptions import ValidationError
from django.core.files import File
from django.http import FileResponse
from django.template.defaultfilters import filesizeformat
from django.utils.deconstruct import deconstructible
from django.utils.text import get_valid_filename
from django.utils.translation import gettext_lazy as _

# The content checks; the constants are re-exported for the callers that name them.
from .upload_content import (  # noqa: F401
    MAX_ARCHIVE_ENTRIES,
    MAX_ARCHIVE_RATIO,
    MAX_ARCHIVE_UNCOMPRESSED,
    OLE2_MAGIC,
    SIGNATURES,
    TYPES,
    _content_matches,
    _Refused,
)

MAX_UPLOAD_BYTES = 20 * 1024 * 1024

DEFAULT_EXTENSIONS = ("pdf", "docx", "odt", "xlsx", "ods", "png", "jpg", "jpeg")


@dataclass(frozen=True)
class CheckedUpload:
    extension: str
    content_type: str
    size: int


def extension_of(name: str) -> str:
    return PurePath(name or "").suffix.lower().lstrip(".")


def _size_of(upload: IO[bytes]) -> int:
    size = getattr(upload, "size", None)
    if size is not None:
        return int(size)
    position = upload.tell()
    upload.seek(0, 2)
    size = upload.tell()
    upload.seek(position)
    return size


@deconstructible
@dataclass
class UploadPolicy:
    """What one upload field accepts. `check` returns the extension and the content type
    sniffed from the content; calling the policy makes it a field validator."""

    extensions: tuple[str, ...] = DEFAULT_EXTENSIONS
    max_bytes: int = MAX_UPLOAD_BYTES
    # Text files: the encodings tried in turn (the CSV import also takes Excel's cp1252).
    text_encodings: tuple[str, ...] = ("utf-8",)

    def allowed(self) -> str:
        return ", ".join(ext for ext in self.extensions if ext != "jpeg")

    def check(self, upload: IO[bytes]) -> CheckedUpload:
        size = _size_of(upload)
        if size > self.max_bytes:
            raise ValidationError(
                _("Filen är %(size)s. Den får vara högst %(limit)s."),
                code="too_large",
                params={"size": filesizeformat(size), "limit": filesizeformat(self.max_bytes)},
            )
        extension = extension_of(getattr(upload, "name", "") or "")
        if extension not in self.extensions or extension not in TYPES:
            raise ValidationError(
                _("Filtypen är inte tillåten. Tillåtna: %(types)s."),
                code="extension",
                params={"types": self.allowed()},
            )
        content_type, family = TYPES[extension]
        position = upload.tell() if hasattr(upload, "tell") else 0
        try:
            _content_matches(family, extension, upload, size, self.text_encodings)
        except _Refused as refused:
            if refused.code == "archive":
                raise ValidationError(
                    _(
                        "Filen är ett arkiv med för många delar eller för stort innehåll "
                        "(högst %(entries)s delar och %(limit)s uppackat)."
                    ),
                    code="archive",
                    params={
                        "entries": MAX_ARCHIVE_ENTRIES,
                        "limit": filesizeformat(MAX_ARCHIVE_UNCOMPRESSED),
                    },
                ) from None
            raise ValidationError(
                _("Filens innehåll stämmer inte med filtypen .%(extension)s."),
                code="content",
                params={"extension": extension},
            ) from None
        finally:
            upload.seek(position)
        return CheckedUpload(extension=extension, content_type=content_type, size=size)

    def __call__(self, upload: File) -> None:
        self.check(upload)


# The name existing code and migrations use.
UploadValidator = UploadPolicy


def sniffed_content_type(file: IO[bytes], name: str) -> str:
    """The content type to serve a stored file with: what its content proves it is, or
    application/octet-stream (files stored before the policy existed may not pass)."""
    try:
        return (
            UploadPolicy(extensions=tuple(TYPES), max_bytes=1 << 62)
            .check(_Named(file, name))
            .content_type
        )
    except ValidationError:
        return "application/octet-stream"


class _Named:
    """A file object with a name of our choosing (the stored name carries the extension)."""

    def __init__(self, file: IO[bytes], name: str) -> None:
        self._file = file
        self.name = name
        self.size = None

    def __getattr__(self, attribute: str) -> object:
        return getattr(self._file, attribute)


def generated_name(extension: str) -> str:
    """A server-made file name: nothing of the uploaded name but its checked extension."""
    suffix = f".{extension}" if extension in TYPES else ""
    return f"{uuid.uuid4().hex}{suffix}"


def private_upload_to(folder: str) -> Callable[[object, str], str]:
    """An `upload_to` that ignores the uploaded name except for its (checked) extension."""
    return _PrivateUploadTo(folder)


@deconstructible
class _PrivateUploadTo:
    def __init__(self, folder: str) -> None:
        self.folder = get_valid_filename(folder)

    def __call__(self, instance: object, filename: str) -> str:
        return f"{self.folder}/{generated_name(extension_of(filename))}"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _PrivateUploadTo) and other.folder == self.folder

    def __hash__(self) -> int:
        return hash(self.folder)


MAX_DOWNLOAD_NAME = 200


def download_name(filename: str, *, extension: str = "") -> str:
    """The uploaded name, fit for a Content-Disposition header: no path, quotes, control
    characters or leading dots (Django's header encoding handles the rest, e.g. å, ä, ö).

    With the checked `extension` the name always ends in it (added if the name does not). A
    long name is shortened in its stem, never in its extension: cutting the end off
    '<196>.htm<...>.pdf' must not turn a checked PDF into a '.htm' download.
    """
    name = PurePath((filename or "").replace("\\", "/")).name
    name = "".join(c for c in name if c.isprintable() and c not in '"/\\;').strip().lstrip(".")
    extension = "".join(c for c in (extension or "").lower() if c.isalnum())
    if extension:
        suffix = f".{extension}"
        stem = name[: -len(suffix)] if name.lower().endswith(suffix) else name
    else:
        suffix = PurePath(name).suffix if len(PurePath(name).suffix) <= 16 else ""
        stem = name[: len(name) - len(suffix)]
    stem = stem[: MAX_DOWNLOAD_NAME - len(suffix)].rstrip(" .") or "fil"
    return f"{stem}{suffix}"


def attachment_response(
    file: File, *, filename: str, content_type: str | None = None
) -> FileResponse:
    """Serve a stored file as a download (never rendered inline). Check permission first.

    The content type is the one recorded at upload or, without one, sniffed from the content
    now; never guessed from the name alone.
    """
    stored_extension = extension_of(file.name or "")
    safe_name = download_name(
        filename, extension=stored_extension if stored_extension in TYPES else ""
    )
    file.open("rb")
    if not content_type:
        content_type = sniffed_content_type(file, file.name or safe_name)
        file.seek(0)
    response = FileResponse(file, as_attachment=True, filename=safe_name, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
