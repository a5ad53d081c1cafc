"""A cooperation group with every kind of person the permission tests need."""

from __future__ import annotations

import copy
from dataclasses import dataclass

import pytest

from lov_portal.core.choices import PartySide, ResponsibleSide
from meetings import services
from meetings.models import CooperationGroup, Meeting, MemberRole, Minutes
from tests.accounts.factories import UserFactory
from tests.agreements.factories import AgreementVersionFactory
from tests.bankid.fixtures import clock, simulator  # noqa: F401 (the BankID simulator)
from tests.commitments.factories import CommitmentFactory
from tests.conftest import _built_once_per_module

from .factories import CooperationGroupFactory, GroupMemberFactory, MeetingFactory


@dataclass
class World:
    group: CooperationGroup
    meeting: Meeting
    chair: object
    secretary: object
    checker: object
    member: object
    outsider: object
    staff: object
    members: list

    def minutes(self) -> Minutes:
        return services.minutes_create(meeting=self.meeting)

    def user(self, who: str) -> object | None:
        return None if who == "anonymous" else getattr(self, who)


@pytest.fixture
def world(db: None) -> World:
    return build_world()


@pytest.fixture(scope="module")
def _module_meetings_world(django_db_setup, django_db_blocker, tmp_path_factory):
    """The group's world built once per test module (`matrix_world`'s way)."""
    yield from _built_once_per_module(django_db_blocker, tmp_path_factory, build_world)


@pytest.fixture
def module_world(_module_meetings_world, db: None) -> World:
    """`world` for a module of many tests without transactional ones: the module's world,
    copied for this test so that nothing one test changes in memory is seen by the next; what
    a test writes to the database is rolled back before the next."""
    return copy.deepcopy(_module_meetings_world)


def build_world() -> World:
    version = AgreementVersionFactory(agreement__slug="lov")
    group = CooperationGroupFactory(agreement=version.agreement)
    chair = UserFactory(full_name="Anna Ordförande")
    secretary = UserFactory(full_name="Sara Sekreterare")
    checker = UserFactory(full_name="Jonas Justerare")
    member = UserFactory(full_name="Lena Ledamot")
    members = [
        GroupMemberFactory(group=group, user=chair, role=MemberRole.CHAIR),
        GroupMemberFactory(group=group, user=checker, role=MemberRole.MEMBER),
        GroupMemberFactory(
            group=group, user=secretary, role=MemberRole.SECRETARY, side=PartySide.PUBLIC
        ),
        GroupMemberFactory(group=group, user=member, role=MemberRole.MEMBER, side=PartySide.PUBLIC),
    ]
    return World(
        group=group,
        meeting=MeetingFactory(group=group),
        chair=chair,
        secretary=secretary,
        checker=checker,
        member=member,
        outsider=UserFactory(full_name="Utan Uppdrag"),
        staff=UserFactory(full_name="Karin Personal", staff=True),
        members=members,
    )


def draft_with_items(world: World, count: int = 2) -> Minutes:
    minutes = world.minutes()
    services.minutes_header_update(
        minutes=minutes,
        chair=world.chair,
        secretary=world.secretary,
        checkers=[world.checker],
    )
    for n in range(count):
        services.minutes_item_create(
            minutes=minutes, heading=f"Punkt {n + 1}", notes="Diskussion.", decision="Beslutades."
        )
    return minutes


def approved(world: World) -> Minutes:
    minutes = draft_with_items(world)
    services.minutes_send_for_approval(minutes=minutes, by=world.secretary)
    services.minutes_approve(minutes=minutes, by=world.checker)
    services.minutes_approve(minutes=minutes, by=world.chair)
    minutes.refresh_from_db()
    return minutes


def published(world: World) -> Minutes:
    minutes = approved(world)
    services.minutes_publish(minutes=minutes, by=world.secretary)
    minutes.refresh_from_db()
    return minutes


def group_commitment(world: World):
    """A commitment of the public party under a new principle of the group's agreement, for
    decisions and actions to refer to."""
    return CommitmentFactory(
        principle__agreement=world.group.agreement,
        text="Regionen ska bjuda in till dialog.",
        responsible_side=ResponsibleSide.PUBLIC,
    )
