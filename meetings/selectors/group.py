"""Reads of the cooperation group: its members, roster and composition."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.utils import timezone

from agreements.models import Agreement
from lov_portal.core.choices import PartySide
from organisations.models import Organisation, OrganisationStatus

from ..models import CooperationGroup, GroupMember, MemberRole

ROLE_ORDER = [
    MemberRole.CHAIR,
    MemberRole.VICE_CHAIR,
    MemberRole.SECRETARY,
    MemberRole.MEMBER,
    MemberRole.DEPUTY,
]


def group_get(*, agreement: Agreement | None) -> CooperationGroup | None:
    if agreement is None:
        return None
    return CooperationGroup.objects.filter(agreement=agreement).select_related("agreement").first()


def group_member_current_list(
    *, group: CooperationGroup, on: datetime.date | None = None
) -> QuerySet[GroupMember]:
    on = on or timezone.localdate()
    return group.members.serving_on(on).select_related("user", "organisation")


@dataclass
class MemberRoster:
    current: list[GroupMember]
    upcoming: list[GroupMember]
    former: list[GroupMember]


def group_member_roster(
    *, group: CooperationGroup, on: datetime.date | None = None
) -> MemberRoster:
    """Every member the group has had, split into current, upcoming and former: one query."""
    on = on or timezone.localdate()
    members = list(
        group.members.select_related("user", "organisation").order_by("side", "term_start", "pk")
    )
    roster = MemberRoster(current=[], upcoming=[], former=[])
    for member in members:
        if member.term_start > on:
            roster.upcoming.append(member)
        elif member.term_end is not None and member.term_end < on:
            roster.former.append(member)
        else:
            roster.current.append(member)
    roster.former.sort(key=lambda m: m.term_end, reverse=True)
    return roster


@dataclass
class SideColumn:
    side: str
    label: str
    members: list[GroupMember] = field(default_factory=list)

    @property
    def voting_count(self) -> int:
        """Members who sit in their own right; deputies only serve when someone is absent."""
        return sum(1 for m in self.members if m.role != MemberRole.DEPUTY)

    @property
    def deputy_count(self) -> int:
        return sum(1 for m in self.members if m.role == MemberRole.DEPUTY)


@dataclass
class GroupComposition:
    sides: list[SideColumn]

    @property
    def is_balanced(self) -> bool:
        counts = {column.voting_count for column in self.sides}
        return len(counts) == 1 and 0 not in counts


def group_composition(
    *, group: CooperationGroup, on: datetime.date | None = None
) -> GroupComposition:
    """Current members by side and, within a side, by role (chair first, deputies last)."""
    members = list(group_member_current_list(group=group, on=on))
    members.sort(key=lambda m: (ROLE_ORDER.index(m.role), str(m.user)))
    sides = [SideColumn(side.value, side.label) for side in PartySide]
    by_side = {column.side: column for column in sides}
    for member in members:
        by_side[member.side].members.append(member)
    return GroupComposition(sides=sides)


def group_member_get(*, group: CooperationGroup, pk: int) -> GroupMember | None:
    return group.members.select_related("user", "organisation").filter(pk=pk).first()


def group_member_organisation_choices() -> QuerySet:
    """The organisations a member may represent: the approved ones."""
    return Organisation.objects.filter(status=OrganisationStatus.APPROVED).order_by("name", "pk")


def group_member_user_choices() -> QuerySet:
    """The people who may be appointed: every active account."""
    return get_user_model().objects.filter(is_active=True)


def group_users_on(*, group: CooperationGroup, on: datetime.date) -> QuerySet:
    """The accounts of the group's members serving on a day, by name."""
    members = group_member_current_list(group=group, on=on)
    user_ids = set(members.values_list("user_id", flat=True))
    return get_user_model().objects.filter(pk__in=user_ids).order_by("full_name", "email")
