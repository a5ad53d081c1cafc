"""Each rule is a function of `now`: the tests travel in time by passing it."""

import datetime

import icalendar
import pytest
from django.core import mail
from django.utils import timezone

from agreements.models import AgreementVersion
from agreements.services import signature_create
from lov_portal.reminders import kinds, services
from lov_portal.reminders.models import Reminder
from meetings.models import MeetingKind
from organisations.models import MembershipRole
from tests.accounts.factories import UserFactory
from tests.agreements.factories import AgreementVersionFactory
from tests.organisations.factories import MembershipFactory, OrganisationFactory

from .conftest import MEETING_START
from .factories import CommitmentFactory, GroupMemberFactory, MeetingFactory

pytestmark = pytest.mark.django_db


def at(year, month, day, hour=6):
    return datetime.datetime(year, month, day, hour, 15, tzinfo=datetime.UTC)


def dues(rule, now):
    return list(rule(now))


# --- upcoming meeting -------------------------------------------------------------------------


def test_meeting_members_are_reminded_7_days_and_1_day_before_and_not_otherwise(
    meeting_with_members,
):
    _, _members = meeting_with_members
    assert len(dues(kinds.meeting_upcoming_rule, at(2026, 3, 3))) == 3
    assert len(dues(kinds.meeting_upcoming_rule, at(2026, 3, 9))) == 3
    for day in (2, 4, 8, 10):
        assert dues(kinds.meeting_upcoming_rule, at(2026, 3, day)) == []


def test_the_week_and_day_reminders_are_two_different_rows(meeting_with_members):
    services.reminders_schedule(now=at(2026, 3, 3), kinds=["meeting_upcoming"])
    services.reminders_schedule(now=at(2026, 3, 9), kinds=["meeting_upcoming"])
    assert Reminder.objects.count() == 6


def test_a_member_whose_term_has_ended_is_not_reminded(meeting_with_members):
    meeting, _ = meeting_with_members
    GroupMemberFactory(group=meeting.group, term_end=datetime.date(2025, 12, 31))
    assert len(dues(kinds.meeting_upcoming_rule, at(2026, 3, 3))) == 3


def test_the_meeting_reminder_carries_the_meeting_as_an_ics_file(meeting_with_members):
    meeting, _ = meeting_with_members
    services.reminders_schedule(now=at(2026, 3, 3), kinds=["meeting_upcoming"])
    services.reminders_send_pending(now=at(2026, 3, 3))
    _filename, content, mimetype = mail.outbox[0].attachments[0]
    assert mimetype == "text/calendar"
    event = icalendar.Calendar.from_ical(content).walk("VEVENT")[0]
    assert event.decoded("dtstart") == MEETING_START
    assert str(event["location"]) == meeting.location
    assert "10 mars 2026" in mail.outbox[0].subject


# --- stale commitments ------------------------------------------------------------------------


def test_owners_of_a_commitment_without_update_for_six_months_are_reminded_once():
    owner = UserFactory()
    commitment = CommitmentFactory()
    commitment.owners.add(owner)
    commitment.__class__.objects.filter(pk=commitment.pk).update(
        last_update_at=datetime.datetime(2026, 1, 10, 12, tzinfo=datetime.UTC)
    )
    assert dues(kinds.commitment_stale_rule, at(2026, 7, 9)) == []
    due = dues(kinds.commitment_stale_rule, at(2026, 7, 10))
    assert [(d.recipient_id, d.due_on) for d in due] == [(owner.pk, datetime.date(2026, 7, 10))]
    # Still stale a month later: the same key, so no second reminder.
    later = dues(kinds.commitment_stale_rule, at(2026, 8, 10))
    assert [d.due_on for d in later] == [datetime.date(2026, 7, 10)]


def test_a_retired_commitment_is_not_reminded_about():
    commitment = CommitmentFactory(retired_at=timezone.now())
    commitment.owners.add(UserFactory())
    assert dues(kinds.commitment_stale_rule, at(2030, 1, 1)) == []


# --- follow-up conference ---------------------------------------------------------------------


def test_all_owners_are_reminded_four_weeks_before_the_follow_up_conference():
    commitment = CommitmentFactory()
    owners = [UserFactory(), UserFactory()]
    commitment.owners.add(*owners)
    from meetings.models import CooperationGroup

    group = CooperationGroup.objects.create(agreement=commitment.principle.agreement, name="SG")
    MeetingFactory(
        group=group,
        kind=MeetingKind.FOLLOW_UP_CONFERENCE,
        starts_at=datetime.datetime(2026, 11, 20, 9, tzinfo=datetime.UTC),
    )
    assert dues(kinds.follow_up_conference_rule, at(2026, 10, 22)) == []
    due = dues(kinds.follow_up_conference_rule, at(2026, 10, 23))
    assert {d.recipient_id for d in due} == {o.pk for o in owners}
    assert {d.due_on for d in due} == {datetime.date(2026, 10, 23)}
    assert {d.due_on for d in dues(kinds.follow_up_conference_rule, at(2026, 11, 1))} == {
        datetime.date(2026, 10, 23)
    }


# --- staff: too few meetings ------------------------------------------------------------------


def test_staff_are_reminded_when_fewer_than_four_meetings_are_held_or_planned_from_september():
    staff = UserFactory(staff=True)
    meeting = MeetingFactory(starts_at=datetime.datetime(2026, 9, 15, 12, tzinfo=datetime.UTC))
    for month in (11, 12):
        MeetingFactory(
            group=meeting.group,
            starts_at=datetime.datetime(2026, month, 15, 12, tzinfo=datetime.UTC),
        )
    # A meeting before 1 September belongs to the previous year.
    MeetingFactory(
        group=meeting.group, starts_at=datetime.datetime(2026, 8, 20, 12, tzinfo=datetime.UTC)
    )
    due = dues(kinds.few_meetings_rule, at(2026, 10, 5))
    assert [(d.recipient_id, d.due_on) for d in due] == [(staff.pk, datetime.date(2026, 10, 1))]
    MeetingFactory(
        group=meeting.group, starts_at=datetime.datetime(2027, 3, 15, 12, tzinfo=datetime.UTC)
    )
    assert dues(kinds.few_meetings_rule, at(2026, 10, 5)) == []


def test_operating_year_starts_on_1_september():
    assert kinds.operating_year_start(datetime.date(2026, 8, 31)) == datetime.date(2025, 9, 1)
    assert kinds.operating_year_start(datetime.date(2026, 9, 1)) == datetime.date(2026, 9, 1)


# --- staff: review due ------------------------------------------------------------------------


def test_staff_are_reminded_once_when_the_review_is_due_within_six_months():
    staff = UserFactory(staff=True)
    UserFactory()  # not staff
    AgreementVersionFactory(review_due_on=datetime.date(2029, 2, 1))
    assert dues(kinds.review_due_rule, at(2028, 7, 31)) == []
    due = dues(kinds.review_due_rule, at(2028, 8, 1))
    assert [(d.recipient_id, d.due_on) for d in due] == [(staff.pk, datetime.date(2028, 8, 1))]
    assert [d.due_on for d in dues(kinds.review_due_rule, at(2028, 12, 1))] == [
        datetime.date(2028, 8, 1)
    ]


# --- earlier version --------------------------------------------------------------------------


def test_signatories_of_an_earlier_version_are_asked_to_confirm_the_current_one():
    old = AgreementVersionFactory(number=1)
    organisation, confirmed = OrganisationFactory(), OrganisationFactory()
    admin = MembershipFactory(organisation=organisation, role=MembershipRole.ADMIN).user
    MembershipFactory(organisation=organisation, role=MembershipRole.MEMBER)
    MembershipFactory(organisation=confirmed, role=MembershipRole.ADMIN)
    for org in (organisation, confirmed):
        signature_create(organisation=org, version=old, signer_name="A")
    assert dues(kinds.confirm_current_version_rule, at(2026, 3, 1)) == []
    AgreementVersion.objects.filter(pk=old.pk).update(is_current=False)
    new = AgreementVersionFactory(
        agreement=old.agreement, number=2, effective_from=datetime.date(2026, 1, 1)
    )
    signature_create(organisation=confirmed, version=new, signer_name="B")
    due = dues(kinds.confirm_current_version_rule, at(2026, 3, 1))
    assert [(d.target, d.recipient_id, d.due_on) for d in due] == [
        (organisation, admin.pk, datetime.date(2026, 1, 1))
    ]


def test_every_registered_kind_has_a_message_that_renders_in_both_languages():
    from django.utils import translation

    from lov_portal.reminders.registry import KINDS

    assert set(KINDS) >= {
        "meeting_upcoming",
        "commitment_stale",
        "follow_up_conference",
        "staff_few_meetings",
        "staff_review_due",
        "confirm_current_version",
    }
    for kind in KINDS.values():
        for language in ("sv", "en"):
            with translation.override(language):
                assert str(kind.label) and str(kind.reason)
