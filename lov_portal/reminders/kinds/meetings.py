"""Reminder kinds about the cooperation group's meetings and minutes.

Upcoming meetings, the follow-up conference, the staff's count of meetings a year, minutes
awaiting approval, and the two notices sent at once when minutes are sent for approval or
answered (`lov_portal.reminders.notices` schedules them on `meetings.signals`).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from commitments.models import Commitment
from lov_portal.accounts.models import User
from lov_portal.accounts.permissions import is_staff
from lov_portal.core.http import absolute_url
from meetings.models import (
    ApprovalDecision,
    CooperationGroup,
    GroupMember,
    Meeting,
    MeetingKind,
    Minutes,
    MinutesApproval,
    MinutesRevision,
    MinutesStatus,
)
from meetings.selectors import meeting_requirement

from ..ics import meeting_ics
from ..registry import Due, Message, quoted
from .base import date_text, day_end, day_start, staff_ids

MEETING_DAYS_BEFORE = (7, 1)
CONFERENCE_WEEKS_BEFORE = 4
MINUTES_FIRST_AFTER_DAYS = 3
MINUTES_REPEAT_DAYS = 7
# Notices look back this far only: an event older than that is no news any more.
NOTICE_WINDOW = datetime.timedelta(days=14)


def is_group_member(user: User) -> bool:
    return is_staff(user) or GroupMember.objects.filter(user=user).exists()


def is_checker_or_chair(user: User) -> bool:
    return Minutes.objects.filter(Q(chair=user) | Q(checkers=user)).exists()


def is_approver(user: User) -> bool:
    return (
        is_staff(user)
        or Minutes.objects.filter(Q(chair=user) | Q(checkers=user)).exists()
        or GroupMember.objects.filter(user=user).exists()
    )


def is_in_group_or_minutes(user: User) -> bool:
    return (
        is_staff(user)
        or GroupMember.objects.filter(user=user).exists()
        or Minutes.objects.filter(Q(chair=user) | Q(checkers=user) | Q(secretary=user)).exists()
    )


# --- Upcoming meeting ------------------------------------------------------------------------


def meeting_upcoming_rule(now: datetime.datetime) -> Iterator[Due]:
    today = timezone.localdate(now)
    for days in MEETING_DAYS_BEFORE:
        day = today + datetime.timedelta(days=days)
        start = day_start(day)
        meetings = Meeting.objects.filter(
            starts_at__gte=start, starts_at__lt=start + datetime.timedelta(days=1)
        )
        members = GroupMember.objects.serving_on(day)
        by_group: dict[int, list[int]] = {}
        for group_id, user_id in members.values_list("group_id", "user_id"):
            by_group.setdefault(group_id, []).append(user_id)
        for meeting in meetings:
            for user_id in by_group.get(meeting.group_id, []):
                yield Due(meeting, user_id, today)


def meeting_upcoming_message(meeting: Meeting, due_on: datetime.date) -> Message:
    starts = timezone.localtime(meeting.starts_at)
    place = meeting.location or meeting.online_url or _("plats meddelas senare")
    return Message(
        _("Påminnelse: %(meeting)s den %(date)s")
        % {"meeting": meeting, "date": date_text(starts.date())},
        {"meeting": meeting, "starts": starts, "place": place},
        (("mote.ics", meeting_ics(meeting), "text/calendar"),),
    )


# --- Four weeks before the annual follow-up conference ---------------------------------------


def follow_up_conference_rule(now: datetime.datetime) -> Iterator[Due]:
    today = timezone.localdate(now)
    window_end = day_end(today + datetime.timedelta(weeks=CONFERENCE_WEEKS_BEFORE))
    conferences = Meeting.objects.filter(
        kind=MeetingKind.FOLLOW_UP_CONFERENCE, starts_at__gte=now, starts_at__lte=window_end
    ).select_related("group")
    for conference in conferences:
        owners = (
            Commitment.owners.through.objects.filter(
                commitment__principle__agreement_id=conference.group.agreement_id,
                commitment__retired_at__isnull=True,
            )
            .values_list("user_id", flat=True)
            .distinct()
        )
        due_on = timezone.localdate(conference.starts_at) - datetime.timedelta(
            weeks=CONFERENCE_WEEKS_BEFORE
        )
        for user_id in owners:
            yield Due(conference, user_id, due_on)


def follow_up_conference_message(meeting: Meeting, due_on: datetime.date) -> Message:
    return Message(
        _("Den årliga uppföljningskonferensen närmar sig"),
        {
            "starts": timezone.localtime(meeting.starts_at),
            # "Mina åtaganden": every commitment the recipient reports on, with its last update.
            "url": absolute_url("commitments:mine"),
        },
        (("konferens.ics", meeting_ics(meeting), "text/calendar"),),
    )


# --- Staff: fewer than four group meetings this year ------------------------------------------


def few_meetings_rule(now: datetime.datetime) -> Iterator[Due]:
    """The one rule of `meetings.selectors.meeting_requirement`: this calendar year, every kind
    of meeting of the group, held or planned."""
    today = timezone.localdate(now)
    staff = staff_ids()
    if not staff:
        return
    for group in CooperationGroup.objects.all():
        if not meeting_requirement(group=group, year=today.year, now=now).met:
            # At most once a month while the shortfall lasts.
            due_on = today.replace(day=1)
            for user_id in staff:
                yield Due(group, user_id, due_on)


def few_meetings_message(group: CooperationGroup, due_on: datetime.date) -> Message:
    return Message(
        _("Färre än fyra möten planerade i samverkansgruppen"),
        {
            "group": group,
            "requirement": meeting_requirement(group=group, year=due_on.year),
            # The group's meetings, held and planned, where new ones are scheduled.
            "url": absolute_url("meetings:meeting_list"),
        },
    )


# --- Minutes awaiting approval (justering) ------------------------------------------------------


def minutes_approval_rule(now: datetime.datetime) -> Iterator[Due]:
    """To each checker and the chair who has not approved the current revision: 3 days after it
    was sent, then every 7 days. The due date is the latest step reached, so each weekly
    reminder is its own row and a skipped scheduler run still sends the overdue one once."""
    today = timezone.localdate(now)
    waiting = Minutes.objects.filter(
        status=MinutesStatus.SENT, current_revision__isnull=False
    ).select_related("current_revision", "meeting")
    checkers = Minutes.checkers.through.objects.filter(minutes__in=waiting).values_list(
        "minutes_id", "user_id"
    )
    by_minutes: dict[int, set[int]] = {}
    for minutes_id, user_id in checkers:
        by_minutes.setdefault(minutes_id, set()).add(user_id)
    answered = set(
        MinutesApproval.objects.filter(revision__minutes__in=waiting).values_list(
            "revision_id", "user_id"
        )
    )
    for minutes in waiting:
        sent_on = timezone.localdate(minutes.current_revision.created_at)
        first = sent_on + datetime.timedelta(days=MINUTES_FIRST_AFTER_DAYS)
        if today < first:
            continue
        weeks = (today - first).days // MINUTES_REPEAT_DAYS
        due_on = first + datetime.timedelta(days=weeks * MINUTES_REPEAT_DAYS)
        approvers = set(by_minutes.get(minutes.pk, set()))
        if minutes.chair_id:
            approvers.add(minutes.chair_id)
        for user_id in sorted(approvers):
            if (minutes.current_revision_id, user_id) not in answered:
                yield Due(minutes, user_id, due_on)


def minutes_approval_message(minutes: Minutes, due_on: datetime.date) -> Message:
    sent_on = (
        timezone.localdate(minutes.current_revision.created_at)
        if minutes.current_revision
        else None
    )
    url = absolute_url("meetings:minutes_detail", minutes.meeting_id)
    return Message(
        _("Påminnelse: protokollet väntar på din justering"),
        {"minutes": minutes, "sent_on": sent_on or due_on, "url": url},
    )


# --- Notice: minutes sent for approval, to the checkers and the chair ---------------------------


def minutes_sent_rule(now: datetime.datetime) -> Iterator[Due]:
    revisions = MinutesRevision.objects.filter(
        minutes__status=MinutesStatus.SENT,
        minutes__current_revision=F("pk"),
        created_at__gte=now - NOTICE_WINDOW,
    ).select_related("minutes")
    answered = set(
        MinutesApproval.objects.filter(revision__in=revisions).values_list("revision_id", "user_id")
    )
    checkers: dict[int, set[int]] = {}
    for minutes_id, user_id in Minutes.checkers.through.objects.filter(
        minutes__in=[r.minutes_id for r in revisions]
    ).values_list("minutes_id", "user_id"):
        checkers.setdefault(minutes_id, set()).add(user_id)
    for revision in revisions:
        people = set(checkers.get(revision.minutes_id, set()))
        if revision.minutes.chair_id:
            people.add(revision.minutes.chair_id)
        for user_id in sorted(people):
            if (revision.pk, user_id) not in answered:
                yield Due(revision, user_id, timezone.localdate(revision.created_at))


def minutes_sent_message(revision: MinutesRevision, due_on: datetime.date) -> Message:
    minutes = revision.minutes
    url = absolute_url("meetings:minutes_detail", minutes.meeting_id)
    return Message(
        _("Protokoll att justera: %(minutes)s") % {"minutes": minutes},
        {"minutes": minutes, "url": url},
    )


# --- Notice: approved or returned, to the secretary ---------------------------------------------


def minutes_answered_rule(now: datetime.datetime) -> Iterator[Due]:
    approvals = MinutesApproval.objects.filter(
        created_at__gte=now - NOTICE_WINDOW, revision__minutes__secretary__isnull=False
    ).select_related("revision__minutes")
    for approval in approvals:
        secretary_id = approval.revision.minutes.secretary_id
        if secretary_id != approval.user_id:
            yield Due(approval, secretary_id, timezone.localdate(approval.created_at))


def minutes_answered_message(approval: MinutesApproval, due_on: datetime.date) -> Message:
    minutes = approval.revision.minutes
    returned = approval.decision == ApprovalDecision.RETURNED
    values = {
        "minutes": minutes,
        "person": approval.user.get_full_name(),
        "comment": quoted(approval.comment),
        "url": absolute_url("meetings:minutes_detail", minutes.meeting_id),
        "returned": returned,
    }
    if returned:
        subject = _("Protokollet har skickats tillbaka: %(minutes)s") % values
    else:
        subject = _("Protokollet har justerats av %(person)s: %(minutes)s") % values
    return Message(subject, values)
