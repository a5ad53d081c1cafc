"""What every page of the cooperation group starts from: the group, the meeting or the
minutes named in the URL, or a 404."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from agreements.selectors import agreement_get

from ..models import CooperationGroup, Meeting, Minutes
from ..selectors import group_get, meeting_get, minutes_get

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
