"""What a meeting attachment may be: its extensions and size; the content is checked by the
portal's upload policy (magic bytes, archive structure and limits)."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from lov_portal.core.uploads import OLE2_MAGIC, TYPES, UploadPolicy

DEFAULT_MAX_BYTES = 20 * 1024 * 1024

OLE2 = OLE2_MAGIC

# The extensions a meeting attachment may have; what each must contain is the portal's one
# upload policy (lov_portal.core.uploads).
EXTENSIONS = (
    "pdf",
    "doc",
    "xls",
    "docx",
    "xlsx",
    "odt",
    "ods",
    "odp",
    "png",
    "jpg",
    "jpeg",
    "gif",
    "webp",
)
ALLOWED = {ext: TYPES[ext] for ext in EXTENSIONS}


@dataclass(frozen=True)
class CheckedFile:
    extension: str
    content_type: str
    size: int


def attachment_max_bytes() -> int:
    return int(getattr(settings, "MEETINGS_ATTACHMENT_MAX_BYTES", DEFAULT_MAX_BYTES))


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
    checked = UploadPolicy(extensions=EXTENSIONS, max_bytes=limit).check(upload)
    return CheckedFile(
        extension=checked.extension, content_type=checked.content_type, size=checked.size
    )
