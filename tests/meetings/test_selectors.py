import datetime

import pytest
from django.utils import timezone

from lov_portal.core.choices import PartySide
from meetings.models import MeetingKind, MemberRole
from meetings.selectors import group_composition, year_overview

from .factories import GroupMemberFactory, MeetingFactory, local_dt

pytestmark = pytest.mark.django_db


def test_the_year_overview_uses_the_swedish_calendar_year(world):
    # 00:30 on 1 January in Stockholm is still 31 December in UTC.
    world.meeting.delete()
    MeetingFactory(group=world.group, starts_at=local_dt(2027, 1, 1, 0))
    MeetingFactory(group=world.group, starts_at=local_dt(2026, 12, 31, 22))
    now = local_dt(2026, 12, 31, 23)
    assert year_overview(group=world.group, year=2027, now=now).planned == 1
    overview = year_overview(group=world.group, year=2026, now=now)
    assert (overview.held, overview.planned) == (1, 0)


def test_every_kind_of_meeting_counts_towards_the_four(world):
    world.meeting.delete()
    for month, kind in zip(
        (2, 3, 9, 10),
        [
            MeetingKind.GROUP_MEETING,
            MeetingKind.DIALOGUE,
            MeetingKind.GROUP_MEETING,
            MeetingKind.FOLLOW_UP_CONFERENCE,
        ],
        strict=True,
    ):
        MeetingFactory(group=world.group, kind=kind, starts_at=local_dt(2026, month, 10))
    overview = year_overview(group=world.group, year=2026, now=local_dt(2026, 6, 1))
    assert (overview.held, overview.planned, overview.total) == (2, 2, 4)
    assert overview.meets_requirement and overview.missing == 0
    assert overview.by_kind == {"group": 2, "dialogue": 1, "follow_up": 1}
    assert overview.review_due_on == datetime.date(2029, 2, 1)


def test_composition_orders_roles_and_counts_members_without_deputies(world):
    GroupMemberFactory(group=world.group, side=PartySide.PUBLIC, role=MemberRole.DEPUTY)
    GroupMemberFactory(group=world.group, side=PartySide.PUBLIC, role=MemberRole.VICE_CHAIR)
    composition = group_composition(group=world.group)
    public = next(c for c in composition.sides if c.side == PartySide.PUBLIC)
    assert [m.role for m in public.members] == ["vice_chair", "secretary", "member", "deputy"]
    assert (public.voting_count, public.deputy_count) == (3, 1)
    assert not composition.is_balanced


def test_members_whose_term_has_not_started_do_not_count(world):
    GroupMemberFactory(
        group=world.group, term_start=timezone.localdate() + datetime.timedelta(days=30)
    )
    assert group_composition(group=world.group).is_balanced
