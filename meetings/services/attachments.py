"""Writes to attachments: an upload checked by the one upload policy."""

from __future__ import annotations

from django.core.files.uploadedfile import UploadedFile

from ..files import attachment_check
from ..models import AgendaItem, Attachment, Meeting, Minutes, MinutesItem
from .common import require_draft


def attachment_create(
    *,
    meeting: Meeting,
    upload: UploadedFile,
    title: str,
    by: object,
    agenda_item: AgendaItem | None = None,
    minutes_item: MinutesItem | None = None,
) -> Attachment:
    checked = attachment_check(upload)
    if minutes_item is not None:
        require_draft(Minutes.objects.get(pk=minutes_item.minutes_id))
    original = (upload.name or "").rsplit("/", 1)[-1][:255]
    attachment = Attachment(
        meeting=meeting,
        agenda_item=agenda_item,
        minutes_item=minutes_item,
        title=title or original,
        original_name=original,
        content_type=checked.content_type,
        size=checked.size,
        uploaded_by=by,
    )
    attachment.file.save(f"upload.{checked.extension}", upload, save=False)
    attachment.save()
    return attachment
