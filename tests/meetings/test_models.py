import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from lov_portal.core.choices import PartySide
from meetings.models import GroupMember, Meeting
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_meeting_must_end_after_it_starts(lov):
    starts = timezone.now()
    meeting = Meeting(group=lov.cooperation_group, starts_at=starts, ends_at=starts)
    with pytest.raises(ValidationError):
        meeting.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        meeting.save()


def test_a_members_term_cannot_end_before_it_starts(lov):
    member = GroupMember(
        group=lov.cooperation_group,
        user=UserFactory(),
        side=PartySide.PUBLIC,
        term_start=datetime.date(2026, 1, 1),
        term_end=datetime.date(2025, 1, 1),
    )
    with pytest.raises(ValidationError):
        member.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        member.save()
