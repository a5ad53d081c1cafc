import datetime

import pytest

from tests.accounts.factories import UserFactory

from .factories import GroupMemberFactory, MeetingFactory

# Time travel: the rules are functions of `now`, so the tests pass the moment they mean.
MEETING_START = datetime.datetime(2026, 3, 10, 13, 0, tzinfo=datetime.UTC)
WEEK_BEFORE = datetime.datetime(2026, 3, 3, 5, 15, tzinfo=datetime.UTC)


@pytest.fixture
def meeting_with_members(db):
    meeting = MeetingFactory(starts_at=MEETING_START)
    members = [GroupMemberFactory(group=meeting.group) for _ in range(3)]
    return meeting, [member.user for member in members]


@pytest.fixture
def english_user(db):
    return UserFactory(preferred_language="en")
