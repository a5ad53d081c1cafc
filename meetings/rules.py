"""Who may do what with the cooperation group, its meetings and minutes.

Objects passed to the permissions: a CooperationGroup, Meeting, Minutes or Attachment.
Membership is looked up once per user and group and cached on the user object, so a page
asks the database once however many checks it makes.
"""

from __future__ import annotations

import rules
from django.utils import timezone

from lov_portal.accounts.permissions import is_authenticated, is_staff

from .models import (
    Attachment,
    CooperationGroup,
    GroupMember,
    Meeting,
    MemberRole,
    Minutes,
    MinutesStatus,
)


def _group_id(obj: object) -> int | None:
    if isinstance(obj, CooperationGroup):
        return obj.pk
    if isinstance(obj, Meeting):
        return obj.group_id
    if isinstance(obj, Minutes):
        return obj.meeting.group_id
    if isinstance(obj, Attachment):
        return obj.meeting.group_id
    return None


def _roles(user: object, group_id: int | None) -> set[str]:
    """The roles the user holds in the group today (empty when not a member)."""
    if group_id is None or not getattr(user, "is_authenticated", False):
        return set()
    cache = user.__dict__.setdefault("_meeting_roles", {})
    if group_id not in cache:
        today = timezone.localdate()
        cache[group_id] = set(
            GroupMember.objects.serving_on(today)
            .filter(user=user, group_id=group_id)
            .values_list("role", flat=True)
        )
    return cache[group_id]


def _minutes_of(obj: object) -> Minutes | None:
    if isinstance(obj, Minutes):
        return obj
    if isinstance(obj, Meeting):
        return getattr(obj, "minutes", None) if hasattr(obj, "minutes") else None
    if isinstance(obj, Attachment):
        return Minutes.objects.filter(meeting_id=obj.meeting_id).first()
    return None


def approver_ids(minutes: Minutes) -> set[int]:
    """The checkers and the chair: everyone whose approval the minutes need."""
    ids = {user.pk for user in minutes.checkers.all()}
    if minutes.chair_id:
        ids.add(minutes.chair_id)
    return ids


@rules.predicate
def is_group_member(user: object, obj: object) -> bool:
    return bool(_roles(user, _group_id(obj)))


@rules.predicate
def is_group_secretary(user: object, obj: object) -> bool:
    return MemberRole.SECRETARY in _roles(user, _group_id(obj))


@rules.predicate
def is_minutes_approver(user: object, obj: object) -> bool:
    minutes = _minutes_of(obj)
    if minutes is None or not getattr(user, "is_authenticated", False):
        return False
    return user.pk in approver_ids(minutes)


@rules.predicate
def is_minutes_keeper(user: object, obj: object) -> bool:
    """The person who keeps (writes) these minutes: they never approve them."""
    minutes = _minutes_of(obj)
    if minutes is None or not getattr(user, "is_authenticated", False):
        return False
    return minutes.secretary_id == user.pk


@rules.predicate
def minutes_awaiting_approval(user: object, obj: object) -> bool:
    minutes = _minutes_of(obj)
    return minutes is not None and minutes.status == MinutesStatus.SENT


@rules.predicate
def attachment_is_published(user: object, attachment: object) -> bool:
    """Public only when it is referenced from the published revision of the minutes."""
    if not isinstance(attachment, Attachment):
        return False
    minutes = (
        Minutes.objects.filter(meeting_id=attachment.meeting_id)
        .select_related("published_revision")
        .first()
    )
    if minutes is None or minutes.published_revision is None:
        return False
    return attachment.pk in minutes.published_revision.content.get("attachment_ids", [])


can_manage = is_staff | is_group_secretary
can_see_internal = is_staff | is_group_member

# The group page, meeting list, overview and published minutes are public.
rules.add_perm("meetings.manage_meetings", can_manage)
rules.add_perm("meetings.view_meeting_details", can_see_internal)
rules.add_perm("meetings.view_unpublished_minutes", can_see_internal | is_minutes_approver)
rules.add_perm("meetings.edit_minutes", can_manage)
rules.add_perm(
    "meetings.approve_minutes",
    is_minutes_approver & ~is_minutes_keeper & minutes_awaiting_approval,
)
rules.add_perm("meetings.view_balance_warning", is_staff)
# Appointing members and ending terms is for staff; the secretary plans meetings only.
rules.add_perm("meetings.manage_members", is_staff)
rules.add_perm(
    "meetings.view_attachment", can_see_internal | is_minutes_approver | attachment_is_published
)
rules.add_perm("meetings.use_private_calendar", is_authenticated & (is_staff | is_group_member))
