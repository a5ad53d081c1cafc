import datetime

import factory

from commitments.models import (
    Action,
    Commitment,
    CommitmentStatus,
    DevelopmentArea,
    StatusUpdate,
)
from lov_portal.core.choices import ResponsibleSide
from tests.accounts.factories import UserFactory
from tests.agreements.factories import AgreementFactory, PrincipleFactory


class CommitmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Commitment
        skip_postgeneration_save = True

    principle = factory.SubFactory(PrincipleFactory)
    order = factory.Sequence(lambda n: n + 1)
    text = factory.Sequence(lambda n: f"Parterna åtar sig att göra sak nummer {n}.")
    responsible_side = ResponsibleSide.JOINT

    @factory.post_generation
    def owners(self, create: bool, extracted: list | None, **kwargs: object) -> None:
        if create and extracted:
            self.owners.add(*extracted)


class StatusUpdateFactory(factory.django.DjangoModelFactory):
    """Writes the row directly (no service): for building history in read tests."""

    class Meta:
        model = StatusUpdate

    commitment = factory.SubFactory(CommitmentFactory)
    status = CommitmentStatus.IN_PROGRESS
    narrative = "Arbetet pågår."
    refers_to = datetime.date(2026, 1, 15)
    author = factory.SubFactory(UserFactory)


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Action

    principle = factory.SubFactory(PrincipleFactory)
    title = factory.Sequence(lambda n: f"Åtgärd {n}")
    due_date = datetime.date(2026, 6, 30)


class DevelopmentAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DevelopmentArea

    agreement = factory.SubFactory(AgreementFactory)
    name = factory.Sequence(lambda n: f"Utvecklingsområde {n}")
