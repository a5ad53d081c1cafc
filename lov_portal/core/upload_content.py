"""What an upload's content must be: the checks behind `UploadPolicy` (lov_portal/core/uploads.py,
the one upload policy, which is what callers use).

The content must be what the extension says: magic bytes; zip containers (docx, xlsx, odt,
...) by their internal structure, inspected without inflating them (the central directory read
in bounded chunks; the number of entries, the declared uncompressed size and the compression
ratio bounded; the few entries read, `mimetype` and `[Content_Types].xml`, only up to a few
kilobytes); text by being valid in its encoding without NUL or markup. Executables are refused
whatever they are called.
"""

from __future__ import annotations

import codecs
import html
import re
import struct
import zipfile
from typing import IO

# Archive limits: real office documents are far below these.
MAX_ARCHIVE_ENTRIES = 2000
MAX_ARCHIVE_UNCOMPRESSED = 50 * 1024 * 1024
MAX_ARCHIVE_RATIO = 100
# Below this total the ratio is not checked (tiny files compress oddly).
RATIO_FREE_BYTES = 1024 * 1024
# The most we ever inflate of one entry while checking.
MAX_ENTRY_READ = 256 * 1024
CHUNK = 64 * 1024
# The most we inflate of all `*.rels` entries together (a real document has a few kilobytes).
MAX_RELATIONSHIPS_READ = 1024 * 1024

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
# Office Open XML relationship types (the last part of the Type URI, lower-cased) that make an
# office program run or fetch something: macros, templates, OLE objects, foreign documents.
FORBIDDEN_RELATIONSHIPS = frozenset(
    {"vbaproject", "attachedtemplate", "oleobject", "afchunk", "altchunk"}
)
RELATIONSHIP_START = re.compile(r"<(?:[\w.-]+:)?Relationship(?=[\s/>])")
RELATIONSHIP_TAG = re.compile(
    r"<(?:[\w.-]+:)?Relationship((?:\s+[\w.:-]+\s*=\s*(?:\"[^\"]*\"|'[^']*'))*)\s*/?>"
)
XML_ATTRIBUTE = re.compile(r"([\w.:-]+)\s*=\s*(?:\"([^\"]*)\"|'([^']*)')")
XML_ENCODING = re.compile(r"\s*<\?xml[^>]*?encoding\s*=\s*[\"']([^\"']*)[\"']")
# OpenDocument folders that hold macros (Basic) and scripts (BeanShell, JavaScript, Python),
# at any depth (an embedded object carries its own): lower-cased folder names.
ODF_MACRO_FOLDERS = frozenset({"basic", "scripts"})
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


class _Refused(Exception):
    """Internal: the content is not what the extension says (message for the person)."""

    def __init__(self, code: str = "content") -> None:
        self.code = code


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
                if any(ODF_MACRO_FOLDERS & set(n.lower().split("/")[:-1]) for n in names):
                    raise _Refused()  # Basic or script macros
                return
            prefix, content_type = OOXML_MAIN[extension]
            if "[Content_Types].xml" not in names or not any(n.startswith(prefix) for n in names):
                raise _Refused()
            if any(n.lower().endswith("vbaproject.bin") for n in names):
                raise _Refused()  # macros
            types = _read_entry(archive, "[Content_Types].xml", MAX_ENTRY_READ)
            if len(types) > MAX_ENTRY_READ or f"{content_type}.main+xml".encode() not in types:
                raise _Refused()
            if any(word in types.lower() for word in (b"macroenabled", b"vbaproject")):
                raise _Refused()  # a macro-enabled document (docm, xlsm, pptm) renamed
            _ooxml_relationships(archive, infos)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, KeyError, EOFError) as error:
        raise _Refused() from error
    except (ValueError, NotImplementedError, RuntimeError) as error:
        # Encrypted entries, unknown compression methods.
        raise _Refused() from error


def _ooxml_relationships(archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo]) -> None:
    """Refuse what an office program runs or fetches when the document is opened, by the
    package's relationships (`*.rels`), not by part names an attacker chooses: macros
    (vbaProject under any name), remote templates, OLE objects, embedded foreign documents
    (altChunk), and any external target except a hyperlink (which only opens when clicked).

    Each entry is read only up to MAX_ENTRY_READ, and all of them together only up to
    MAX_RELATIONSHIPS_READ: nothing is inflated beyond the archive limits."""
    budget = MAX_RELATIONSHIPS_READ
    for info in infos:
        if info.is_dir() or not info.filename.lower().endswith(".rels"):
            continue
        limit = min(MAX_ENTRY_READ, budget)
        data = _read_entry(archive, info.filename, limit)
        if len(data) > limit:
            raise _Refused("archive" if limit < MAX_ENTRY_READ else "content")
        budget -= len(data)
        for attributes in _relationships(_xml_text(data)):
            kind = attributes.get("type", "").rstrip("/").rsplit("/", 1)[-1].lower()
            if kind in FORBIDDEN_RELATIONSHIPS:
                raise _Refused()
            external = attributes.get("targetmode", "").lower() == "external"
            if external and kind != "hyperlink":
                raise _Refused()


def _xml_text(data: bytes) -> str:
    """An XML part as text, in the encodings office programs write (UTF-8 or UTF-16 with its
    byte order mark); anything else (another declared encoding, a DTD, NUL) is refused."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    else:
        encoding = "utf-8-sig"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as error:
        raise _Refused() from error
    declaration = XML_ENCODING.match(text)
    if declaration and declaration.group(1).lower().replace("_", "-") not in (
        "utf-8",
        "utf8",
        "utf-16",
        "utf16",
    ):
        raise _Refused()
    lowered = text.lower()
    if "\x00" in text or "<!doctype" in lowered or "<!entity" in lowered:
        raise _Refused()
    return text


def _relationships(text: str) -> list[dict[str, str]]:
    """The attributes (names lower-cased, values unescaped and trimmed) of every
    `<Relationship>` element; a start tag this reading cannot take apart is refused."""
    found = []
    starts = RELATIONSHIP_START.findall(text)
    for match in RELATIONSHIP_TAG.finditer(text):
        found.append(
            {
                name.rsplit(":", 1)[-1].lower(): html.unescape(first or second).strip()
                for name, first, second in XML_ATTRIBUTE.findall(match.group(1))
            }
        )
    if len(found) != len(starts):
        raise _Refused()
    return found


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
