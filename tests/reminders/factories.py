import datetime

import factory

from commitments.models import Commitment
from lov_portal.core.choices import PartySide, ResponsibleSide
from meetings.models import CooperationGroup, GroupMember, Meeting
from tests.accounts.factories import UserFactory
from tests.agreements.factories import AgreementFactory, PrincipleFactory


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
    term_start = datetime.date(2020, 1, 1)


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    group = factory.SubFactory(CooperationGroupFactory)
    title = "Samverkansgruppens möte"
    starts_at = datetime.datetime(2026, 3, 10, 13, 0, tzinfo=datetime.UTC)
    ends_at = factory.LazyAttribute(lambda m: m.starts_at + datetime.timedelta(hours=2))
    location = "Regionens hus, Härnösand"


class CommitmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Commitment

    principle = factory.SubFactory(PrincipleFactory)
    text = factory.Sequence(lambda n: f"Åtagande nummer {n}")
    responsible_side = ResponsibleSide.JOINT
