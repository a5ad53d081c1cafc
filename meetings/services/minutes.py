"""Writes to the minutes while they are a draft: the header (who leads, keeps and checks
them), attendance, the numbered paragraphs (§) and the actions a decision drafts."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from agreements.models import Principle
from commitments.models import Commitment
from lov_portal.core.cache import public_cache_bump
from lov_portal.core.text import rich_text_clean

from ..models import (
    AgendaItem,
    Attendance,
    AttendanceStatus,
    CooperationGroup,
    DecisionAction,
    GroupMember,
    Meeting,
    MemberRole,
    Minutes,
    MinutesItem,
    ParagraphCounter,
)
from .common import local_year, minutes_lock, require_draft

MAX_CHECKERS = 2


def _member_with_role(group_id: int, role: str, on: datetime.date) -> GroupMember | None:
    return (
        GroupMember.objects.serving_on(on)
        .filter(group_id=group_id, role=role)
        .select_related("user")
        .first()
    )


def minutes_create(*, meeting: Meeting) -> Minutes:
    """Start the minutes of a meeting, with the group's chair and secretary filled in."""
    day = timezone.localtime(meeting.starts_at).date()
    chair = _member_with_role(meeting.group_id, MemberRole.CHAIR, day)
    secretary = _member_with_role(meeting.group_id, MemberRole.SECRETARY, day)
    try:
        with transaction.atomic():
            return Minutes.objects.create(
                meeting=meeting,
                chair=chair.user if chair else None,
                secretary=secretary.user if secretary else None,
            )
    except IntegrityError:
        return Minutes.objects.get(meeting=meeting)


CHAIR_ROLES = frozenset({MemberRole.CHAIR, MemberRole.VICE_CHAIR})
CHECKER_ROLES = frozenset({MemberRole.MEMBER, MemberRole.DEPUTY})


def _roles_on_meeting_day(minutes: Minutes, users: Iterable[object]) -> dict[int, set[str]]:
    """The roles each person held in the meeting's group on the day of the meeting."""
    day = timezone.localtime(minutes.meeting.starts_at).date()
    roles: dict[int, set[str]] = {}
    rows = (
        GroupMember.objects.serving_on(day)
        .filter(group_id=minutes.meeting.group_id, user_id__in=[u.pk for u in users])
        .values_list("user_id", "role")
    )
    for user_id, role in rows:
        roles.setdefault(user_id, set()).add(role)
    return roles


def minutes_roles_check(
    *, minutes: Minutes, chair: object | None, secretary: object | None, checkers: Sequence[object]
) -> None:
    """The people who approve minutes must hold the matching office in the group on the day of
    the meeting (chair or vice chair; member or deputy), and whoever keeps the minutes never
    approves them. Raises a ValidationError keyed by "chair" and "checkers"."""
    people = [p for p in (chair, *checkers) if p is not None]
    roles = _roles_on_meeting_day(minutes, people)
    errors: dict[str, list[str]] = {}
    keeper_id = secretary.pk if secretary is not None else None

    def check(key: str, person: object, allowed: frozenset, keeper: str, lacks_office: str) -> None:
        if person.pk == keeper_id:
            errors.setdefault(key, []).append(keeper)
        elif not roles.get(person.pk, set()) & allowed:
            errors.setdefault(key, []).append(lacks_office % {"name": person})

    if chair is not None:
        check(
            "chair",
            chair,
            CHAIR_ROLES,
            _("Den som för protokollet kan inte också vara ordförande och justera det."),
            _(
                "%(name)s var inte ordförande eller vice ordförande i gruppen på mötesdagen "
                "och kan inte justera protokollet som ordförande."
            ),
        )
    for checker in checkers:
        check(
            "checkers",
            checker,
            CHECKER_ROLES,
            _("Den som för protokollet kan inte också vara justerare."),
            _(
                "%(name)s var inte ledamot eller ersättare i gruppen på mötesdagen och kan "
                "inte vara justerare."
            ),
        )
    if errors:
        raise ValidationError(errors)


def minutes_header_update(
    *,
    minutes: Minutes,
    chair: object | None,
    secretary: object | None,
    checkers: Sequence[object],
    other_participants: str = "",
) -> Minutes:
    if len(checkers) > MAX_CHECKERS:
        raise ValidationError({"checkers": _("Välj en eller två justerare.")})
    if chair is not None and any(c.pk == chair.pk for c in checkers):
        raise ValidationError({"checkers": _("Ordföranden justerar redan; välj någon annan.")})
    with transaction.atomic():
        minutes = minutes_lock(minutes)
        require_draft(minutes)
        minutes_roles_check(minutes=minutes, chair=chair, secretary=secretary, checkers=checkers)
        minutes.chair = chair
        minutes.secretary = secretary
        minutes.other_participants = other_participants.strip()
        minutes.save()
        minutes.checkers.set(checkers)
    return minutes


@dataclass(frozen=True)
class AttendanceEntry:
    member: GroupMember
    status: str
    serving_for: GroupMember | None = None


def minutes_attendance_set(*, minutes: Minutes, entries: Iterable[AttendanceEntry]) -> None:
    entries = list(entries)
    for entry in entries:
        if entry.member.group_id != minutes.meeting.group_id:
            raise ValidationError(_("Bara gruppens ledamöter kan föras in i närvarolistan."))
        if entry.status == AttendanceStatus.DEPUTY_SERVING and entry.serving_for is None:
            raise ValidationError(
                _("Ange vem %(name)s tjänstgör för.") % {"name": entry.member.user}
            )
    with transaction.atomic():
        minutes = minutes_lock(minutes)
        require_draft(minutes)
        Attendance.objects.filter(minutes=minutes).delete()
        public_cache_bump()
        Attendance.objects.bulk_create(
            [
                Attendance(
                    minutes=minutes,
                    member=entry.member,
                    status=entry.status,
                    serving_for=(
                        entry.serving_for
                        if entry.status == AttendanceStatus.DEPUTY_SERVING
                        else None
                    ),
                )
                for entry in entries
                if entry.status
            ]
        )


def paragraph_number_allocate(*, group: CooperationGroup, year: int) -> int:
    """The next § number of the group's year. Safe when several secretaries add items at once:
    the counter row is locked for the rest of the caller's transaction."""
    with transaction.atomic():
        counter = (
            ParagraphCounter.objects.select_for_update().filter(group=group, year=year).first()
        )
        if counter is None:
            try:
                with transaction.atomic():
                    ParagraphCounter.objects.create(group=group, year=year, last_number=0)
            except IntegrityError:
                pass  # someone else created it first; lock theirs
            counter = ParagraphCounter.objects.select_for_update().get(group=group, year=year)
        ParagraphCounter.objects.filter(pk=counter.pk).update(last_number=F("last_number") + 1)
        return counter.last_number + 1


def minutes_item_create(
    *,
    minutes: Minutes,
    heading: str,
    notes: str = "",
    decision: str = "",
    agenda_item: AgendaItem | None = None,
) -> MinutesItem:
    with transaction.atomic():
        minutes = minutes_lock(minutes)
        require_draft(minutes)
        meeting = minutes.meeting
        year = local_year(meeting.starts_at)
        number = paragraph_number_allocate(group=meeting.group, year=year)
        return MinutesItem.objects.create(
            minutes=minutes,
            group_id=meeting.group_id,
            year=year,
            number=number,
            agenda_item=agenda_item,
            heading=heading,
            notes=rich_text_clean(notes),
            decision=rich_text_clean(decision),
        )


def minutes_items_from_agenda(*, minutes: Minutes) -> list[MinutesItem]:
    """One § per agenda item not yet in the minutes, in the agenda's order."""
    with transaction.atomic():
        minutes = minutes_lock(minutes)
        require_draft(minutes)
        covered = set(
            minutes.items.exclude(agenda_item=None).values_list("agenda_item_id", flat=True)
        )
        created = []
        for agenda_item in minutes.meeting.agenda_items.order_by("position"):
            if agenda_item.pk not in covered:
                created.append(
                    minutes_item_create(
                        minutes=minutes, heading=agenda_item.title, agenda_item=agenda_item
                    )
                )
    return created


def minutes_item_update(
    *,
    item: MinutesItem,
    heading: str,
    notes: str = "",
    decision: str = "",
    commitments: Sequence[Commitment] | None = None,
    commitment_status: str = "",
) -> MinutesItem:
    with transaction.atomic():
        require_draft(minutes_lock(item.minutes))
        item.heading = heading
        item.notes = rich_text_clean(notes)
        item.decision = rich_text_clean(decision)
        item.commitment_status = commitment_status
        item.save()
        if commitments is not None:
            item.commitments.set(commitments)
    return item


def decision_action_create(
    *,
    item: MinutesItem,
    text: str,
    owner: object | None = None,
    due_on: datetime.date | None = None,
    commitment: Commitment | None = None,
    principle: Principle | None = None,
) -> DecisionAction:
    if commitment is not None:
        if principle is not None and principle.pk != commitment.principle_id:
            raise ValidationError({"commitment": _("Åtagandet hör till en annan princip.")})
        principle = None  # the commitment says which principle
    with transaction.atomic():
        require_draft(minutes_lock(item.minutes))
        return DecisionAction.objects.create(
            item=item,
            text=text,
            owner=owner,
            due_on=due_on,
            commitment=commitment,
            principle=principle,
        )
