"""What every page of the cooperation group starts from: the group, the meeting or the
minutes named in the URL, or a 404."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from agreements.selectors import agreement_get

from ..models import AgendaItem, CooperationGroup, Meeting, Minutes, MinutesItem
from ..selectors import agenda_item_get, group_get, meeting_get, minutes_get, minutes_item_get

# PositiveIntegerField: larger numbers are no revision (and overflow the column)
MAX_REVISION = 2**31 - 1

methods = require_http_methods(["GET", "POST"])


def group_or_404() -> CooperationGroup:
    group = group_get(agreement=agreement_get())
    if group is None:
        raise Http404(_("Det finns ingen samverkansgrupp ännu."))
    return group


def meeting_or_404(pk: int) -> Meeting:
    meeting = meeting_get(pk=pk)
    if meeting is None:
        raise Http404
    return meeting


def minutes_or_404(meeting: Meeting) -> Minutes:
    minutes = minutes_get(meeting=meeting)
    if minutes is None:
        raise Http404
    return minutes


def agenda_item_or_404(meeting: Meeting, pk: int) -> AgendaItem:
    item = agenda_item_get(meeting=meeting, pk=pk)
    if item is None:
        raise Http404
    return item


def minutes_item_or_404(minutes: Minutes | None, pk: int) -> MinutesItem:
    item = minutes_item_get(minutes=minutes, pk=pk)
    if item is None:
        raise Http404
    return item


def meeting_minutes_or_404(pk: int) -> tuple[Meeting, Minutes]:
    meeting = meeting_or_404(pk)
    return meeting, minutes_or_404(meeting)
