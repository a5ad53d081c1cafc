"""Reads for the calendar feeds: which meetings, and whose secret address."""

from __future__ import annotations

import datetime

from django.utils import timezone

from ..models import CalendarToken, CooperationGroup, GroupMember, Meeting


def calendar_meetings(*, group: CooperationGroup | None = None, user: object | None = None):
    """Meetings for a calendar feed: from a year back, for one group or the user's groups."""
    since = timezone.now() - datetime.timedelta(days=366)
    qs = Meeting.objects.filter(starts_at__gte=since).select_related("group")
    if group is not None:
        qs = qs.filter(group=group)
    if user is not None:
        today = timezone.localdate()
        qs = qs.filter(
            group__members__in=GroupMember.objects.serving_on(today).filter(user=user)
        ).distinct()
    return qs.order_by("starts_at")


def calendar_token_user(*, token: str) -> object | None:
    """The active user whose private feed address holds this secret, if any."""
    entry = CalendarToken.objects.filter(token=token).select_related("user").first()
    if entry is None or not entry.user.is_active:
        return None
    return entry.user
