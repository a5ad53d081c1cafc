"""Writes to meetings and their agendas."""

from __future__ import annotations

import datetime

from django.db import transaction

from lov_portal.core.cache import public_cache_bump
from lov_portal.core.services import validated_save
from lov_portal.core.text import rich_text_clean

from ..models import AgendaItem, CooperationGroup, Meeting


def meeting_create(
    *,
    group: CooperationGroup,
    kind: str,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    title: str = "",
    location: str = "",
    online_url: str = "",
    is_internal: bool = False,
) -> Meeting:
    return validated_save(
        Meeting(
            group=group,
            kind=kind,
            title=title,
            starts_at=starts_at,
            ends_at=ends_at,
            location=location,
            online_url=online_url,
            is_internal=is_internal,
        )
    )


# Everything MeetingForm edits (is_internal was missing: every change of a meeting was a 500).
MEETING_EDITABLE = frozenset(
    {"kind", "title", "starts_at", "ends_at", "location", "online_url", "is_internal"}
)


def meeting_update(*, meeting: Meeting, **fields: object) -> Meeting:
    unknown = set(fields) - MEETING_EDITABLE
    if unknown:
        raise TypeError(f"meeting_update() got an unexpected field {min(unknown)!r}")
    return validated_save(meeting, **fields)


def agenda_item_create(*, meeting: Meeting, title: str, description: str = "") -> AgendaItem:
    """Append an item; its number is the next free position on the agenda."""
    with transaction.atomic():
        Meeting.objects.select_for_update().filter(pk=meeting.pk).first()
        last = (
            AgendaItem.objects.filter(meeting=meeting)
            .order_by("-position")
            .values_list("position", flat=True)
            .first()
        )
        return AgendaItem.objects.create(
            meeting=meeting,
            position=(last or 0) + 1,
            title=title,
            description=rich_text_clean(description),
        )


def agenda_item_update(*, item: AgendaItem, title: str, description: str = "") -> AgendaItem:
    item.title = title
    item.description = rich_text_clean(description)
    item.save(update_fields=["title", "description"])
    return item


def _agenda_renumber(meeting_id: int, ordered: list[AgendaItem]) -> None:
    # Two passes keep the unique (meeting, position) constraint satisfied at every step.
    offset = 10000
    for index, item in enumerate(ordered, start=1):
        AgendaItem.objects.filter(pk=item.pk).update(position=offset + index)
    for index, item in enumerate(ordered, start=1):
        AgendaItem.objects.filter(pk=item.pk).update(position=index)
    public_cache_bump()


def agenda_item_move(*, item: AgendaItem, up: bool) -> None:
    """Move an item one step up or down; the agenda is renumbered 1, 2, 3, ..."""
    with transaction.atomic():
        Meeting.objects.select_for_update().filter(pk=item.meeting_id).first()
        ordered = list(AgendaItem.objects.filter(meeting_id=item.meeting_id).order_by("position"))
        index = next(i for i, other in enumerate(ordered) if other.pk == item.pk)
        target = index - 1 if up else index + 1
        if 0 <= target < len(ordered):
            ordered[index], ordered[target] = ordered[target], ordered[index]
            _agenda_renumber(item.meeting_id, ordered)


def agenda_item_delete(*, item: AgendaItem) -> None:
    """Remove an item; its attachments stay with the meeting and the rest are renumbered."""
    with transaction.atomic():
        Meeting.objects.select_for_update().filter(pk=item.meeting_id).first()
        meeting_id = item.meeting_id
        item.delete()
        _agenda_renumber(
            meeting_id, list(AgendaItem.objects.filter(meeting_id=meeting_id).order_by("position"))
        )
