import datetime

import factory
from django.utils import timezone

from lov_portal.core.choices import PartySide
from meetings.models import CooperationGroup, GroupMember, Meeting, MeetingKind, MemberRole
from tests.accounts.factories import UserFactory
from tests.agreements.factories import AgreementFactory


def local_dt(year: int, month: int, day: int, hour: int = 13) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, 0, tzinfo=timezone.get_current_timezone())


class CooperationGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CooperationGroup

    agreement = factory.SubFactory(AgreementFactory)
    name = "Samverkansgruppen"


class GroupMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GroupMember

    group = factory.SubFactory(CooperationGroupFactory)
    user = factory.SubFactory(UserFactory)
    side = PartySide.CIVIL_SOCIETY
    role = MemberRole.MEMBER
    term_start = datetime.date(2020, 1, 1)
    term_end = None


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    group = factory.SubFactory(CooperationGroupFactory)
    kind = MeetingKind.GROUP_MEETING
    starts_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=7))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + datetime.timedelta(hours=3))
    location = "Härnösand, Regionens hus"
    online_url = "https://mote.example.se/hemlig"
