"""One upload policy for the whole portal (docs/security.md, ENGINEERING.md "One way").

Every file a person uploads goes through `UploadPolicy.check`: the size is limited, the
extension must be one the field allows, and the *content* must be what the extension says
(magic bytes; zip containers by their internal structure; text by being valid UTF-8 without
markup). Executables are refused whatever they are called. Archives (docx, xlsx, odt, ...) are
inspected without inflating them: the central directory is read in bounded chunks, the number
of entries, the total declared uncompressed size and the compression ratio are bounded, and the
few entries we do read (`mimetype`, `[Content_Types].xml`) are read only up to a few kilobytes.

Stored files get names the server makes up (`private_upload_to`, `generated_name`) and are
served by a view that has checked permission, as attachments with `nosniff` and the content
type sniffed from the content (`attachment_response`).
"""

from __future__ import annotations

import codecs
import struct
import uuid
import zipfile
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

MAX_UPLOAD_BYTES = 20 * 1024 * 1024

# Archive limits: real office documents are far below these.
MAX_ARCHIVE_ENTRIES = 2000
MAX_ARCHIVE_UNCOMPRESSED = 50 * 1024 * 1024
MAX_ARCHIVE_RATIO = 100
# Below this total the ratio is not checked (tiny files compress oddly).
RATIO_FREE_BYTES = 1024 * 1024
# The most we ever inflate of one entry while checking.
MAX_ENTRY_READ = 256 * 1024
CHUNK = 64 * 1024

PDF_MAGIC = b"%PDF-"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
JPEG_MAGIC = b"\xff\xd8\xff"
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
# Content that is never accepted whatever the name says (executables and scripts).
FORBIDDEN_PREFIXES = (b"MZ", b"\x7fELF", b"#!", b"\xca\xfe\xba\xbe", b"\xcf\xfa\xed\xfe")
# Markup a browser (or a careless viewer) might run: refused in text files.
MARKUP = ("<html", "<script", "<svg", "<!doctype", "<iframe", "<body", "<?xml", "<object", "<embed")

OOXML_MAIN = {
    "docx": ("word/", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "xlsx": ("xl/", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "pptx": ("ppt/", "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
}
ODF_TYPES = {
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "odp": "application/vnd.oasis.opendocument.presentation",
}

# extension -> (content type served, family of content the file must have)
TYPES: dict[str, tuple[str, str]] = {
    "pdf": ("application/pdf", "pdf"),
    "png": ("image/png", "png"),
    "jpg": ("image/jpeg", "jpeg"),
    "jpeg": ("image/jpeg", "jpeg"),
    "gif": ("image/gif", "gif"),
    "webp": ("image/webp", "webp"),
    "doc": ("application/msword", "ole2"),
    "xls": ("application/vnd.ms-excel", "ole2"),
    "txt": ("text/plain; charset=utf-8", "text"),
    "csv": ("text/csv; charset=utf-8", "text"),
    **{ext: (ctype, "ooxml") for ext, (_prefix, ctype) in OOXML_MAIN.items()},
    **{ext: (ctype, "odf") for ext, ctype in ODF_TYPES.items()},
}
# Kept for callers that only ask "which extensions exist".
SIGNATURES = {ext: family for ext, (_ctype, family) in TYPES.items()}

DEFAULT_EXTENSIONS = ("pdf", "docx", "odt", "xlsx", "ods", "png", "jpg", "jpeg")


class _Refused(Exception):
    """Internal: the content is not what the extension says (message for the person)."""

    def __init__(self, code: str = "content") -> None:
        self.code = code


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


# --- Archives -----------------------------------------------------------------------------------

EOCD = struct.Struct("<4sHHHHIIH")
ZIP64_LOCATOR = struct.Struct("<4sIQI")
CENTRAL = struct.Struct("<4sHHHHHHIIIHHHHHII")


def _archive_directory(upload: IO[bytes], size: int) -> tuple[int, int]:
    """The central directory's offset and size, from the end record; refuses zip64 archives
    (more than 65,535 entries or 4 GB: never a real office document)."""
    tail_length = min(size, EOCD.size + 65535)
    upload.seek(size - tail_length)
    tail = upload.read(tail_length)
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) - at < EOCD.size:
        raise _Refused()
    _sig, _disk, _cd_disk, on_disk, entries, cd_size, cd_offset, _comment = EOCD.unpack_from(
        tail, at
    )
    if entries == 0xFFFF or on_disk == 0xFFFF or 0xFFFFFFFF in (cd_size, cd_offset):
        raise _Refused("archive")
    if entries > MAX_ARCHIVE_ENTRIES:
        raise _Refused("archive")
    if cd_offset + cd_size > size:
        raise _Refused()
    return cd_offset, cd_size


def _archive_check(upload: IO[bytes], size: int) -> None:
    """Walk the central directory in bounded chunks: count entries (the end record's count
    may lie), add up the declared sizes, refuse what a zip bomb looks like."""
    offset, length = _archive_directory(upload, size)
    upload.seek(offset)
    buffer = b""
    remaining = length
    entries = total = compressed = 0
    while True:
        if len(buffer) < CENTRAL.size and remaining:
            chunk = upload.read(min(CHUNK, remaining))
            remaining -= len(chunk)
            buffer += chunk
        if not buffer:
            break
        if len(buffer) < CENTRAL.size or buffer[:4] != b"PK\x01\x02":
            raise _Refused()
        fields = CENTRAL.unpack_from(buffer)
        packed, unpacked = fields[8], fields[9]
        name_length, extra_length, comment_length = fields[10], fields[11], fields[12]
        if 0xFFFFFFFF in (packed, unpacked):
            raise _Refused("archive")
        entries += 1
        total += unpacked
        compressed += packed
        if entries > MAX_ARCHIVE_ENTRIES or total > MAX_ARCHIVE_UNCOMPRESSED:
            raise _Refused("archive")
        skip = CENTRAL.size + name_length + extra_length + comment_length
        while len(buffer) < skip and remaining:
            chunk = upload.read(min(CHUNK, remaining))
            remaining -= len(chunk)
            buffer += chunk
        if len(buffer) < skip:
            raise _Refused()
        buffer = buffer[skip:]
    if total > RATIO_FREE_BYTES and total > MAX_ARCHIVE_RATIO * max(compressed, 1):
        raise _Refused("archive")


def _read_entry(archive: zipfile.ZipFile, name: str, limit: int) -> bytes:
    """At most `limit` + 1 bytes of an entry, whatever its header claims."""
    with archive.open(name) as entry:
        return entry.read(limit + 1)


def _archive_content(family: str, extension: str, upload: IO[bytes], size: int) -> None:
    _archive_check(upload, size)
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            infos = archive.infolist()
            names = {info.filename for info in infos}
            if family == "odf":
                expected = ODF_TYPES[extension].encode()
                first = infos[0] if infos else None
                if first is None or first.filename != "mimetype" or first.file_size > 100:
                    raise _Refused()
                if _read_entry(archive, "mimetype", len(expected)) != expected:
                    raise _Refused()
                if "content.xml" not in names and "META-INF/manifest.xml" not in names:
                    raise _Refused()
                return
            prefix, content_type = OOXML_MAIN[extension]
            if "[Content_Types].xml" not in names or not any(n.startswith(prefix) for n in names):
                raise _Refused()
            if any(n.lower().endswith("vbaproject.bin") for n in names):
                raise _Refused()  # macros
            types = _read_entry(archive, "[Content_Types].xml", MAX_ENTRY_READ)
            if len(types) > MAX_ENTRY_READ or f"{content_type}.main+xml".encode() not in types:
                raise _Refused()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, KeyError, EOFError) as error:
        raise _Refused() from error
    except (ValueError, NotImplementedError, RuntimeError) as error:
        # Encrypted entries, unknown compression methods.
        raise _Refused() from error


# --- Text ---------------------------------------------------------------------------------------


def _text_content(upload: IO[bytes], encoding: str = "utf-8") -> None:
    """Valid text (UTF-8 unless the field says otherwise), no NUL, no markup: read in chunks,
    decoded incrementally."""
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    carry = ""
    upload.seek(0)
    while True:
        chunk = upload.read(CHUNK)
        try:
            text = decoder.decode(chunk, final=not chunk)
        except UnicodeDecodeError as error:
            raise _Refused() from error
        if "\x00" in text:
            raise _Refused()
        window = (carry + text).lower()
        if any(tag in window for tag in MARKUP):
            raise _Refused()
        carry = window[-16:]
        if not chunk:
            return


# --- The policy ---------------------------------------------------------------------------------


def _content_matches(
    family: str, extension: str, upload: IO[bytes], size: int, encodings: tuple[str, ...]
) -> None:
    upload.seek(0)
    head = upload.read(16)
    if head.startswith(FORBIDDEN_PREFIXES):
        raise _Refused()
    if family == "pdf":
        ok = head.startswith(PDF_MAGIC)
    elif family == "png":
        ok = head.startswith(PNG_MAGIC)
    elif family == "jpeg":
        ok = head.startswith(JPEG_MAGIC)
    elif family == "gif":
        ok = head[:6] in (b"GIF87a", b"GIF89a")
    elif family == "webp":
        ok = head[:4] == b"RIFF" and head[8:12] == b"WEBP"
    elif family == "ole2":
        ok = head.startswith(OLE2_MAGIC)
    elif family == "text":
        for encoding in encodings:
            try:
                _text_content(upload, encoding)
                break
            except _Refused:
                if encoding == encodings[-1]:
                    raise
        ok = True
    elif family in ("ooxml", "odf"):
        if not head.startswith(ZIP_MAGIC):
            raise _Refused()
        _archive_content(family, extension, upload, size)
        ok = True
    else:
        ok = False
    if not ok:
        raise _Refused()


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


def download_name(filename: str) -> str:
    """The uploaded name, fit for a Content-Disposition header: no path, quotes, control
    characters or leading dots (Django's header encoding handles the rest, e.g. å, ä, ö)."""
    name = PurePath((filename or "").replace("\\", "/")).name
    name = "".join(c for c in name if c.isprintable() and c not in '"/\\;').strip().lstrip(".")
    return name[:200] or "fil"


def attachment_response(
    file: File, *, filename: str, content_type: str | None = None
) -> FileResponse:
    """Serve a stored file as a download (never rendered inline). Check permission first.

    The content type is the one recorded at upload or, without one, sniffed from the content
    now; never guessed from the name alone.
    """
    safe_name = download_name(filename)
    file.open("rb")
    if not content_type:
        content_type = sniffed_content_type(file, file.name or safe_name)
        file.seek(0)
    response = FileResponse(file, as_attachment=True, filename=safe_name, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
