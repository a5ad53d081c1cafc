"""The reminder tests use the canonical factories; only the meeting differs: a fixed date the
reminder tests count from, with a title and no online link."""

import datetime

from tests.commitments.factories import CommitmentFactory
from tests.meetings.factories import CooperationGroupFactory, GroupMemberFactory
from tests.meetings.factories import MeetingFactory as BaseMeetingFactory

__all__ = ["CommitmentFactory", "CooperationGroupFactory", "GroupMemberFactory", "MeetingFactory"]


class MeetingFactory(BaseMeetingFactory):
    title = "Samverkansgruppens möte"
    starts_at = datetime.datetime(2026, 3, 10, 13, 0, tzinfo=datetime.UTC)
    location = "Regionens hus, Härnösand"
    online_url = ""
