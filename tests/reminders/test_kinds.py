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
from tests.evidence import forced
from tests.organisations.factories import MembershipFactory, OrganisationFactory

from .conftest import MEETING_START
from .factories import CommitmentFactory, GroupMemberFactory, MeetingFactory

pytestmark = pytest.mark.django_db


def at(year, month, day, hour=6):
    return datetime.datetime(year, month, day, hour, 15, tzinfo=datetime.UTC)


def dues(rule, now):
    return list(rule(now))


def who_when(due):
    """What each due reminder is about, to whom, and from which day."""
    return [(d.target, d.recipient_id, d.due_on) for d in due]


def due_days(rule, now):
    return [d.due_on for d in dues(rule, now)]


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


def test_staff_are_reminded_when_fewer_than_four_meetings_are_held_or_planned_this_year():
    staff = UserFactory(staff=True)
    meeting = MeetingFactory(starts_at=datetime.datetime(2026, 2, 15, 12, tzinfo=datetime.UTC))
    for month in (6, 11):
        MeetingFactory(
            group=meeting.group,
            starts_at=datetime.datetime(2026, month, 15, 12, tzinfo=datetime.UTC),
        )
    # A meeting of the previous calendar year does not count.
    MeetingFactory(
        group=meeting.group, starts_at=datetime.datetime(2025, 12, 20, 12, tzinfo=datetime.UTC)
    )
    due = dues(kinds.few_meetings_rule, at(2026, 10, 5))
    assert [(d.recipient_id, d.due_on) for d in due] == [(staff.pk, datetime.date(2026, 10, 1))]
    # Every kind of meeting of the group counts (meetings.selectors.meeting_requirement).
    MeetingFactory(
        group=meeting.group,
        kind=MeetingKind.DIALOGUE,
        starts_at=datetime.datetime(2026, 12, 1, 12, tzinfo=datetime.UTC),
    )
    assert dues(kinds.few_meetings_rule, at(2026, 10, 5)) == []


# --- staff: review due ------------------------------------------------------------------------


def test_staff_are_reminded_once_when_the_review_is_due_within_six_months():
    staff = UserFactory(staff=True)
    UserFactory()  # not staff
    AgreementVersionFactory(review_due_on=datetime.date(2029, 2, 1))
    assert dues(kinds.review_due_rule, at(2028, 7, 31)) == []
    due = dues(kinds.review_due_rule, at(2028, 8, 1))
    assert [(d.recipient_id, d.due_on) for d in due] == [(staff.pk, datetime.date(2028, 8, 1))]
    assert due_days(kinds.review_due_rule, at(2028, 12, 1)) == [datetime.date(2028, 8, 1)]


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
    assert who_when(due) == [(organisation, admin.pk, datetime.date(2026, 1, 1))]


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
        "minutes_approval",
        "action_due",
        "staff_application_waiting",
    }
    for kind in KINDS.values():
        for language in ("sv", "en"):
            with translation.override(language):
                assert str(kind.label) and str(kind.reason)


# --- minutes awaiting approval ----------------------------------------------------------------


def _minutes_sent(sent_at):
    from meetings.models import Minutes, MinutesRevision, MinutesStatus, RevisionKind

    meeting = MeetingFactory()
    chair, checker_a, checker_b = UserFactory(), UserFactory(), UserFactory()
    minutes = Minutes.objects.create(meeting=meeting, chair=chair, status=MinutesStatus.SENT)
    minutes.checkers.add(checker_a, checker_b)
    revision = MinutesRevision.objects.create(
        minutes=minutes, number=1, kind=RevisionKind.FIRST, content={}
    )
    with forced():  # backdated; revisions are never changed otherwise
        MinutesRevision.objects.filter(pk=revision.pk).update(created_at=sent_at)
    minutes.current_revision = revision
    minutes.save()
    return minutes, revision, chair, checker_a, checker_b


def test_checkers_and_chair_are_reminded_3_days_after_sending_then_weekly():
    _minutes, _rev, chair, a, b = _minutes_sent(at(2026, 3, 2, 9))
    assert dues(kinds.minutes_approval_rule, at(2026, 3, 4)) == []
    due = dues(kinds.minutes_approval_rule, at(2026, 3, 5))
    assert {d.recipient_id for d in due} == {chair.pk, a.pk, b.pk}
    assert {d.due_on for d in due} == {datetime.date(2026, 3, 5)}
    # Between the steps the key stays the same: no new reminder.
    assert {d.due_on for d in dues(kinds.minutes_approval_rule, at(2026, 3, 11))} == {
        datetime.date(2026, 3, 5)
    }
    assert {d.due_on for d in dues(kinds.minutes_approval_rule, at(2026, 3, 12))} == {
        datetime.date(2026, 3, 12)
    }


def test_minutes_reminders_are_sent_once_per_step_and_weekly_ones_are_new_rows():
    _minutes_sent(at(2026, 3, 2, 9))
    for day in (5, 6, 7):
        services.reminders_schedule(now=at(2026, 3, day), kinds=["minutes_approval"])
        services.reminders_send_pending(now=at(2026, 3, day))
    assert len(mail.outbox) == 3
    services.reminders_schedule(now=at(2026, 3, 12), kinds=["minutes_approval"])
    services.reminders_send_pending(now=at(2026, 3, 12))
    assert len(mail.outbox) == 6
    assert Reminder.objects.filter(kind="minutes_approval").count() == 6


def test_who_has_approved_the_current_revision_is_not_reminded():
    from meetings.models import MinutesApproval

    _minutes, revision, chair, a, b = _minutes_sent(at(2026, 3, 2, 9))
    MinutesApproval.objects.create(revision=revision, user=a, role="checker", decision="approved")
    due = dues(kinds.minutes_approval_rule, at(2026, 3, 5))
    assert {d.recipient_id for d in due} == {chair.pk, b.pk}


def test_minutes_not_waiting_for_approval_give_no_reminder():
    from meetings.models import Minutes, MinutesStatus

    minutes, *_ = _minutes_sent(at(2026, 3, 2, 9))
    Minutes.objects.filter(pk=minutes.pk).update(status=MinutesStatus.APPROVED)
    assert dues(kinds.minutes_approval_rule, at(2026, 3, 5)) == []


def test_a_checker_cannot_switch_off_the_minutes_reminder():
    _minutes, _rev, _chair, a, _b = _minutes_sent(at(2026, 3, 2, 9))
    services.reminder_preferences_set(user=a, disabled_kinds=["minutes_approval"])
    from lov_portal.reminders.models import ReminderOptOut

    assert not ReminderOptOut.objects.filter(user=a).exists()
    # Even an opt-out row written behind the service's back is overridden by the role.
    ReminderOptOut.objects.create(user=a, kind="minutes_approval")
    services.reminders_schedule(now=at(2026, 3, 5), kinds=["minutes_approval"])
    assert Reminder.objects.filter(kind="minutes_approval", recipient=a).count() == 1


def test_the_minutes_reminder_says_why_and_links_to_preferences_in_both_languages():
    _minutes, _rev, chair, _a, _b = _minutes_sent(at(2026, 3, 2, 9))
    chair.preferred_language = "en"
    chair.save()
    services.reminders_schedule(now=at(2026, 3, 5), kinds=["minutes_approval"])
    services.reminders_send_pending(now=at(2026, 3, 5))
    by_to = {m.to[0]: m for m in mail.outbox}
    english = by_to[chair.email]
    assert "waiting for your approval" in english.subject
    assert "You are a checker or the chair" in english.body
    assert reverse_sv_en_preferences() in english.body
    swedish = next(m for m in mail.outbox if m.to[0] != chair.email)
    assert "justering" in swedish.subject
    assert "Du är justerare eller ordförande" in swedish.body
    assert "2 mars 2026" in swedish.body


# --- actions due and overdue ------------------------------------------------------------------


def _action(**kwargs):
    from tests.commitments.factories import ActionFactory

    kwargs.setdefault("owner", UserFactory())
    kwargs.setdefault("due_date", datetime.date(2026, 6, 30))
    return ActionFactory(**kwargs)


def test_the_action_owner_is_reminded_7_days_before_the_due_date():
    action = _action()
    assert dues(kinds.action_due_rule, at(2026, 6, 22)) == []
    due = dues(kinds.action_due_rule, at(2026, 6, 23))
    assert who_when(due) == [(action, action.owner_id, datetime.date(2026, 6, 23))]
    assert due_days(kinds.action_due_rule, at(2026, 6, 29)) == [datetime.date(2026, 6, 23)]
    assert dues(kinds.action_due_rule, at(2026, 6, 30)) == []


def test_the_action_owner_is_reminded_once_when_overdue():
    action = _action()
    due = dues(kinds.action_due_rule, at(2026, 7, 1))
    assert [(d.recipient_id, d.due_on) for d in due] == [
        (action.owner_id, datetime.date(2026, 7, 1))
    ]
    for day in (1, 2, 15):
        services.reminders_schedule(now=at(2026, 7, day), kinds=["action_due"])
        services.reminders_send_pending(now=at(2026, 7, day))
    assert len(mail.outbox) == 1
    assert "försenad" in mail.outbox[0].subject
    assert "30 juni 2026" in mail.outbox[0].body
    assert "Du är ansvarig för åtgärden." in mail.outbox[0].body


def test_the_week_before_and_the_overdue_reminders_are_two_rows():
    _action()
    services.reminders_schedule(now=at(2026, 6, 23), kinds=["action_due"])
    services.reminders_schedule(now=at(2026, 7, 1), kinds=["action_due"])
    assert Reminder.objects.filter(kind="action_due").count() == 2


@pytest.mark.parametrize("status", ["done", "cancelled"])
def test_finished_actions_give_no_reminder(status):
    _action(status=status)
    assert dues(kinds.action_due_rule, at(2026, 6, 23)) == []
    assert dues(kinds.action_due_rule, at(2026, 7, 1)) == []


def test_retired_actions_and_actions_without_owner_give_no_reminder():
    _action(retired_at=timezone.now())
    _action(owner=None)
    assert dues(kinds.action_due_rule, at(2026, 7, 1)) == []


def test_an_owner_can_switch_off_action_reminders():
    action = _action()
    services.reminder_preferences_set(user=action.owner, disabled_kinds=["action_due"])
    assert services.reminders_schedule(now=at(2026, 7, 1), kinds=["action_due"]) == 0


def test_the_action_reminder_is_in_english_for_english_users():
    action = _action(owner=UserFactory(preferred_language="en"))
    services.reminders_schedule(now=at(2026, 6, 23), kinds=["action_due"])
    services.reminders_send_pending(now=at(2026, 6, 23))
    message = mail.outbox[0]
    assert "due in a week" in message.subject
    assert "You are responsible for the action." in message.body
    assert action.title in message.body


def _sent_link(client, recipient, now, kind):
    """Schedule and send `kind` at `now`; return the page its e-mail links to, as `recipient`
    opening the link sees it."""
    from django.conf import settings

    services.reminders_schedule(now=now, kinds=[kind])
    services.reminders_send_pending(now=now)
    (message,) = mail.outbox
    # The footer links to the preferences page; the object's link is the body's last URL.
    body = message.body.split("\n\n")[:-1]
    (link,) = [line for part in body for line in part.splitlines() if line.startswith("http")]
    assert link.startswith(settings.SITE_URL + "/")
    client.force_login(recipient)
    path, _, fragment = link.removeprefix(settings.SITE_URL).partition("#")
    response = client.get(path)
    assert response.status_code == 200
    return path, fragment, response.content.decode()


def test_the_action_reminder_links_to_the_actions_commitment(client, lov):
    commitment = CommitmentFactory(principle=lov.principles.first())
    action = _action(principle=commitment.principle, commitment=commitment)
    path, _, page = _sent_link(client, action.owner, at(2026, 6, 23), "action_due")
    assert path == reverse_url("commitments:detail", commitment.pk)
    assert action.title in page


def test_the_action_reminder_for_a_principles_action_links_staff_to_the_action_page(client, lov):
    action = _action(principle=lov.principles.first(), owner=UserFactory(staff=True))
    path, _, page = _sent_link(client, action.owner, at(2026, 7, 1), "action_due")
    assert path == reverse_url("commitments:action_edit", action.pk)
    assert action.title in page


def test_the_action_reminder_for_a_principles_action_links_others_to_the_principle(client, lov):
    principle = lov.principles.order_by("order").last()
    action = _action(principle=principle)
    path, fragment, page = _sent_link(client, action.owner, at(2026, 7, 1), "action_due")
    assert path == reverse_url("commitments:list")
    assert fragment == f"princip-{principle.key}"
    assert f'id="{fragment}"' in page
    section = page[page.index(f'id="{fragment}"') :]
    assert action.title in section[: section.find("</section>")]


# --- staff: applications waiting --------------------------------------------------------------


def _application(submitted_at):
    from tests.organisations.factories import OrganisationApplicationFactory

    return OrganisationApplicationFactory(submitted_at=submitted_at)


def test_working_days_skip_weekends():
    friday = datetime.date(2026, 3, 6)
    assert kinds.add_working_days(friday, 1) == datetime.date(2026, 3, 9)
    assert kinds.add_working_days(friday, 5) == datetime.date(2026, 3, 13)


def test_staff_are_reminded_when_an_application_waits_more_than_5_working_days():
    staff = UserFactory(staff=True)
    UserFactory()  # not staff
    # Submitted Monday 2 March: five working days are up on Monday 9 March.
    application = _application(at(2026, 3, 2, 9))
    assert dues(kinds.application_waiting_rule, at(2026, 3, 9)) == []
    due = dues(kinds.application_waiting_rule, at(2026, 3, 10))
    assert who_when(due) == [(application, staff.pk, datetime.date(2026, 3, 10))]
    assert due_days(kinds.application_waiting_rule, at(2026, 3, 20)) == [datetime.date(2026, 3, 10)]


def test_a_weekend_does_not_count_as_waiting():
    UserFactory(staff=True)
    # Submitted Thursday 5 March: Fri, Mon, Tue, Wed, Thu are five working days.
    _application(at(2026, 3, 5, 9))
    assert dues(kinds.application_waiting_rule, at(2026, 3, 12)) == []
    assert len(dues(kinds.application_waiting_rule, at(2026, 3, 13))) == 1


def test_decided_applications_give_no_reminder_and_info_requested_ones_do():
    from organisations.models import Organisation, OrganisationStatus

    UserFactory(staff=True)
    application = _application(at(2026, 3, 2, 9))
    Organisation.objects.filter(pk=application.organisation_id).update(
        status=OrganisationStatus.APPROVED
    )
    assert dues(kinds.application_waiting_rule, at(2026, 3, 20)) == []
    Organisation.objects.filter(pk=application.organisation_id).update(
        status=OrganisationStatus.INFO_REQUESTED
    )
    assert len(dues(kinds.application_waiting_rule, at(2026, 3, 20))) == 1


def test_the_application_reminder_is_sent_once_and_staff_cannot_switch_it_off():
    staff = UserFactory(staff=True)
    _application(at(2026, 3, 2, 9))
    services.reminder_preferences_set(user=staff, disabled_kinds=["staff_application_waiting"])
    for day in (10, 11):
        services.reminders_schedule(now=at(2026, 3, day), kinds=["staff_application_waiting"])
        services.reminders_send_pending(now=at(2026, 3, day))
    assert len(mail.outbox) == 1
    assert "fem arbetsdagar" in mail.outbox[0].subject
    assert "Du är personal vid kansliet och handlägger ansökningar." in mail.outbox[0].body


def reverse_sv_en_preferences():
    from django.urls import reverse

    return reverse("reminders:preferences")


def test_the_application_reminder_links_to_the_applications_review_page(client):
    staff = UserFactory(staff=True)
    application = _application(at(2026, 3, 2, 9))
    path, _, page = _sent_link(client, staff, at(2026, 3, 10), "staff_application_waiting")
    assert path == reverse_url("organisations:review_detail", application.pk)
    assert application.organisation.name in page


def reverse_url(name, *args):
    from django.urls import reverse

    return reverse(name, args=args)


def test_the_stale_commitment_reminder_links_to_the_commitments_page_with_its_update_form(client):
    owner = UserFactory()
    commitment = CommitmentFactory()
    commitment.owners.add(owner)
    commitment.__class__.objects.filter(pk=commitment.pk).update(
        last_update_at=datetime.datetime(2026, 1, 10, 12, tzinfo=datetime.UTC)
    )
    path, _, page = _sent_link(client, owner, at(2026, 7, 10), "commitment_stale")
    assert path == reverse_url("commitments:detail", commitment.pk)
    assert 'name="status"' in page  # the owner can post the update right there


def test_the_conference_reminder_links_to_the_owners_commitments(client):
    from meetings.models import CooperationGroup

    owner = UserFactory()
    commitment = CommitmentFactory()
    commitment.owners.add(owner)
    group = CooperationGroup.objects.create(agreement=commitment.principle.agreement, name="SG")
    MeetingFactory(
        group=group,
        kind=MeetingKind.FOLLOW_UP_CONFERENCE,
        starts_at=datetime.datetime(2026, 11, 20, 9, tzinfo=datetime.UTC),
    )
    path, _, page = _sent_link(client, owner, at(2026, 10, 23), "follow_up_conference")
    assert path == reverse_url("commitments:mine")
    assert commitment.text[:40] in page


def test_the_confirm_reminder_links_to_the_organisations_signing_page(client, lov):
    from allauth.mfa.models import Authenticator

    old = lov.versions.get(is_current=True)
    organisation = OrganisationFactory()
    admin = MembershipFactory(organisation=organisation, role=MembershipRole.ADMIN).user
    # Signing needs a second factor; with one, the link opens the signing page itself.
    Authenticator.objects.create(user=admin, type=Authenticator.Type.TOTP, data={"secret": "x"})
    signature_create(organisation=organisation, version=old, signer_name="A")
    AgreementVersion.objects.filter(pk=old.pk).update(is_current=False)
    new = AgreementVersionFactory(
        agreement=lov, number=old.number + 1, effective_from=datetime.date(2026, 1, 1)
    )
    path, _, page = _sent_link(client, admin, at(2026, 3, 1), "confirm_current_version")
    assert path == reverse_url("agreements:sign", organisation.slug)
    assert organisation.name in page
    assert new.agreement.name in page


def test_the_few_meetings_reminder_links_staff_to_the_years_meetings(client, lov):
    from meetings.models import CooperationGroup

    staff = UserFactory(staff=True)
    meeting = MeetingFactory(
        group=CooperationGroup.objects.get(agreement=lov),
        title="Höstmötet",
        starts_at=datetime.datetime(2026, 9, 15, 12, tzinfo=datetime.UTC),
    )
    path, _, page = _sent_link(client, staff, at(2026, 10, 5), "staff_few_meetings")
    assert path == reverse_url("meetings:meeting_list")
    assert meeting.title in page


def test_the_review_reminder_links_staff_to_the_agreement(client, lov):
    staff = UserFactory(staff=True)
    AgreementVersion.objects.filter(agreement=lov).update(review_due_on=datetime.date(2029, 2, 1))
    path, _, page = _sent_link(client, staff, at(2028, 8, 1), "staff_review_due")
    assert path == reverse_url("agreement")
    assert lov.name in page
