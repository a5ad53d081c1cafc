import datetime
import smtplib
from unittest import mock

import pytest
from django.core import mail
from kombu.exceptions import OperationalError as BrokerOperationalError

from lov_portal.reminders import services
from lov_portal.reminders.models import Reminder, ReminderOptOut, ReminderStatus
from lov_portal.reminders.tasks import send_pending
from tests.accounts.factories import UserFactory
from tests.concurrency import run_at_once

from .broker import broker_at
from .conftest import WEEK_BEFORE
from .factories import GroupMemberFactory, MeetingFactory

pytestmark = pytest.mark.django_db


def schedule(now=WEEK_BEFORE):
    return services.reminders_schedule(now=now, kinds=["meeting_upcoming"])


def test_running_the_scheduler_twice_creates_each_reminder_once(meeting_with_members):
    _, members = meeting_with_members
    assert schedule() == 3
    assert schedule() == 0
    assert Reminder.objects.count() == 3
    assert set(Reminder.objects.values_list("recipient_id", flat=True)) == {u.pk for u in members}


def test_the_scheduler_enqueues_the_sender_after_commit_and_each_reminder_is_sent_once(
    meeting_with_members, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        schedule()
    assert len(mail.outbox) == 3
    with django_capture_on_commit_callbacks(execute=True):
        schedule()
    services.reminders_send_pending()
    assert len(mail.outbox) == 3
    assert set(Reminder.objects.values_list("status", flat=True)) == {ReminderStatus.SENT}


def test_a_claim_held_by_a_live_worker_is_not_taken_by_another(meeting_with_members):
    schedule()
    now = WEEK_BEFORE
    first = services.reminders_claim(now=now)
    second = services.reminders_claim(now=now + datetime.timedelta(minutes=5))
    assert len(first) == 3
    assert second == []


def test_a_reminder_of_a_worker_killed_mid_send_is_sent_after_its_lease_expires(
    meeting_with_members,
):
    schedule()
    dead_workers_claim = services.reminders_claim(now=WEEK_BEFORE)
    assert len(dead_workers_claim) == 3
    # The worker dies here: nothing is sent and nothing is marked.
    later = WEEK_BEFORE + services.CLAIM_LEASE + datetime.timedelta(seconds=1)
    assert services.reminders_send_pending(now=later) == 3
    assert len(mail.outbox) == 3
    # A worker that wakes up after its lease expired cannot mark the rows a second time.
    services.reminder_send(reminder=dead_workers_claim[0], now=later)
    assert Reminder.objects.filter(status=ReminderStatus.SENT).count() == 3


def test_a_resend_after_a_worker_died_after_the_smtp_handover_keeps_the_message_id(
    meeting_with_members,
):
    # The one window no SMTP transaction closes: the server accepted the mail and the worker
    # died before marking the row. The copy sent after the lease carries the same Message-ID,
    # by which mail systems recognise it.
    schedule()
    (reminder, *_) = services.reminders_claim(now=WEEK_BEFORE)
    services.reminder_send(reminder=reminder, now=WEEK_BEFORE)
    first_id = mail.outbox[0].extra_headers["Message-ID"]
    Reminder.objects.filter(pk=reminder.pk).update(status=ReminderStatus.PENDING)  # not marked
    mail.outbox.clear()
    later = WEEK_BEFORE + services.CLAIM_LEASE + datetime.timedelta(seconds=1)
    services.reminders_send_pending(now=later)
    resent = [m for m in mail.outbox if m.to == [reminder.recipient.email]]
    assert [m.extra_headers["Message-ID"] for m in resent] == [first_id]
    assert first_id.startswith(f"<lov-reminder-{reminder.pk}@")
    others = {m.extra_headers["Message-ID"] for m in mail.outbox} - {first_id}
    assert len(others) == 2  # every reminder has its own


def test_when_the_broker_is_down_the_rows_wait_and_the_next_run_sends_them(
    meeting_with_members, django_capture_on_commit_callbacks
):
    outage = BrokerOperationalError("Error 111 connecting to 127.0.0.1:1. Connection refused.")
    with (
        mock.patch.object(send_pending, "apply_async", side_effect=outage) as enqueue,
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert schedule() == 3
    assert enqueue.called
    assert mail.outbox == []
    assert Reminder.objects.filter(status=ReminderStatus.PENDING).count() == 3
    # The broker is back: the periodic sender runs.
    send_pending.apply()
    assert len(mail.outbox) == 3
    assert Reminder.objects.filter(status=ReminderStatus.PENDING).count() == 0


def test_a_broker_on_a_closed_port_does_not_lose_reminders(
    meeting_with_members, django_capture_on_commit_callbacks
):
    with broker_at("redis://127.0.0.1:1/6"), django_capture_on_commit_callbacks(execute=True):
        assert schedule() == 3
    assert mail.outbox == []
    assert services.reminders_send_pending() == 3


def test_a_failing_mail_server_leaves_the_reminder_pending_for_a_retry(meeting_with_members):
    schedule()
    with (
        mock.patch(
            "django.core.mail.EmailMessage.send", side_effect=smtplib.SMTPServerDisconnected("gone")
        ),
        pytest.raises(smtplib.SMTPException),
    ):
        services.reminders_send_pending(now=WEEK_BEFORE)
    failed = Reminder.objects.filter(attempts=1).get()
    assert failed.status == ReminderStatus.PENDING
    assert "gone" in failed.last_error
    assert services.reminders_send_pending(now=WEEK_BEFORE) == 3


def test_a_switched_off_kind_creates_no_reminder(meeting_with_members):
    _, members = meeting_with_members
    ReminderOptOut.objects.create(user=members[0], kind="meeting_upcoming")
    schedule()
    assert not Reminder.objects.filter(recipient=members[0]).exists()
    assert Reminder.objects.count() == 2


def test_a_reminder_the_role_requires_is_created_even_if_switched_off(lov):
    staff = UserFactory(staff=True)
    ReminderOptOut.objects.create(user=staff, kind="staff_few_meetings")
    now = datetime.datetime(2026, 10, 5, 5, 0, tzinfo=datetime.UTC)
    services.reminders_schedule(now=now, kinds=["staff_few_meetings"])
    assert Reminder.objects.filter(recipient=staff, kind="staff_few_meetings").exists()


def test_the_email_says_why_it_was_sent_and_links_to_the_settings_page(meeting_with_members):
    schedule()
    services.reminders_send_pending(now=WEEK_BEFORE)
    body = mail.outbox[0].body
    assert "Du är ledamot i samverkansgruppen" in body
    assert "/konto/paminnelser/" in body


def test_the_email_is_in_english_for_a_user_who_chose_english(english_user):
    meeting = MeetingFactory(starts_at=datetime.datetime(2026, 3, 10, 13, 0, tzinfo=datetime.UTC))
    GroupMemberFactory(group=meeting.group, user=english_user)
    schedule()
    services.reminders_send_pending(now=WEEK_BEFORE)
    assert "Reminder" in mail.outbox[0].subject
    assert "You are a member of the cooperation group" in mail.outbox[0].body


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_send_each_reminder_once():
    meeting = MeetingFactory(starts_at=datetime.datetime(2026, 3, 10, 13, 0, tzinfo=datetime.UTC))
    for _ in range(40):
        GroupMemberFactory(group=meeting.group)
    assert schedule() == 40

    def worker() -> None:
        services.reminders_send_pending(now=WEEK_BEFORE, limit=3)

    run_at_once(*[worker] * 4)  # raises what any of the four workers raised
    recipients = [message.to[0] for message in mail.outbox]
    assert len(recipients) == 40
    assert len(set(recipients)) == 40
    assert Reminder.objects.filter(status=ReminderStatus.SENT).count() == 40


def _thirty_reminders_one_meeting_apart():
    """29 reminders about one meeting and one about another (in another group)."""
    from .conftest import MEETING_START

    meeting = MeetingFactory(starts_at=MEETING_START)
    for _ in range(29):
        GroupMemberFactory(group=meeting.group)
    other = MeetingFactory(starts_at=MEETING_START)
    GroupMemberFactory(group=other.group)
    assert schedule() == 30
    return meeting, other


def test_a_meeting_title_with_cr_lf_cannot_break_the_reminder_subject():
    # Before the fix: BadHeaderError handed the whole batch back, 0 of 30 sent on every run.
    _meeting, other = _thirty_reminders_one_meeting_apart()
    type(other).objects.filter(pk=other.pk).update(title="Möte\r\nBcc: evil@example.com")
    assert services.reminders_send_pending(now=WEEK_BEFORE) == 30
    assert all("\n" not in m.subject and "\r" not in m.subject for m in mail.outbox)
    assert all(m.bcc == [] for m in mail.outbox)


def test_a_poisoned_reminder_among_30_does_not_stop_the_others_and_fails_with_its_reason():
    # Before the fix the first poisoned message handed the whole batch back (0 sent).
    import dataclasses

    from lov_portal.reminders.registry import KINDS

    _meeting, other = _thirty_reminders_one_meeting_apart()
    kind = KINDS["meeting_upcoming"]

    def poisoned(target, due_on):
        if target.pk == other.pk:
            raise ValueError("cannot build this message")
        return kind.message(target, due_on)

    with mock.patch.dict(KINDS, {"meeting_upcoming": dataclasses.replace(kind, message=poisoned)}):
        assert services.reminders_send_pending(now=WEEK_BEFORE) == 29
        poison = Reminder.objects.get(object_id=other.pk)
        assert (poison.status, poison.attempts) == (ReminderStatus.PENDING, 1)
        for _ in range(services.MAX_ATTEMPTS + 2):  # later runs retry it, a bounded number
            assert services.reminders_send_pending(now=WEEK_BEFORE) == 0
    poison.refresh_from_db()
    assert poison.status == ReminderStatus.FAILED
    assert poison.attempts == services.MAX_ATTEMPTS
    assert "ValueError: cannot build this message" in poison.last_error
    assert len(mail.outbox) == 29
    assert Reminder.objects.filter(status=ReminderStatus.SENT).count() == 29


def test_staff_see_why_a_reminder_failed_in_the_admin(client):
    from tests.permissions import make_staff_with_mfa

    _meeting, other = _thirty_reminders_one_meeting_apart()
    reminder = Reminder.objects.get(object_id=other.pk)
    Reminder.objects.filter(pk=reminder.pk).update(
        status=ReminderStatus.FAILED, attempts=5, last_error="ValueError: trasig rad"
    )
    staff = make_staff_with_mfa()
    staff.is_superuser = True
    staff.save()
    client.force_login(staff)
    listing = client.get("/admin/reminders/reminder/?status__exact=failed")
    assert "ValueError: trasig rad" in listing.content.decode()
    page = client.get(f"/admin/reminders/reminder/{reminder.pk}/change/")
    assert "ValueError: trasig rad" in page.content.decode()
