"""Reads of attachments."""

from __future__ import annotations

from ..models import AgendaItem, Attachment, Meeting, MinutesItem


def attachment_get(*, pk: int) -> Attachment | None:
    return Attachment.objects.filter(pk=pk).select_related("meeting").first()


def attachment_targets(*, meeting: Meeting) -> tuple[list[AgendaItem], list[MinutesItem]]:
    """What an upload may be attached to besides the meeting: its agenda items, and the
    paragraphs of its minutes while they are a draft."""
    minutes = getattr(meeting, "minutes", None) if hasattr(meeting, "minutes") else None
    items = list(minutes.items.all()) if minutes is not None and minutes.is_editable else []
    return list(meeting.agenda_items.all()), items
