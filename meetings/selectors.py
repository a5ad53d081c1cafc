"""Reads of the cooperation group and its meetings, already prefetched."""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Prefetch, Q, QuerySet, prefetch_related_objects
from django.utils import timezone

from agreements.models import Agreement, AgreementVersion
from lov_portal.core.choices import PartySide

from .models import (
    MINIMUM_MEETINGS_PER_YEAR,
    AgendaItem,
    Attachment,
    Attendance,
    AttendanceStatus,
    CalendarToken,
    CooperationGroup,
    DecisionAction,
    GroupMember,
    Meeting,
    MemberRole,
    Minutes,
    MinutesItem,
    MinutesRevision,
    MinutesStatus,
)

ROLE_ORDER = [
    MemberRole.CHAIR,
    MemberRole.VICE_CHAIR,
    MemberRole.SECRETARY,
    MemberRole.MEMBER,
    MemberRole.DEPUTY,
]


def meeting_next(*, agreement: Agreement, now: datetime.datetime | None = None) -> Meeting | None:
    return (
        Meeting.objects.filter(group__agreement=agreement, starts_at__gte=now or timezone.now())
        .order_by("starts_at")
        .first()
    )


def group_get(*, agreement: Agreement | None) -> CooperationGroup | None:
    if agreement is None:
        return None
    return CooperationGroup.objects.filter(agreement=agreement).select_related("agreement").first()


def group_member_current_list(
    *, group: CooperationGroup, on: datetime.date | None = None
) -> QuerySet[GroupMember]:
    on = on or timezone.localdate()
    return group.members.serving_on(on).select_related("user", "organisation")


@dataclass
class MemberRoster:
    current: list[GroupMember]
    upcoming: list[GroupMember]
    former: list[GroupMember]


def group_member_roster(
    *, group: CooperationGroup, on: datetime.date | None = None
) -> MemberRoster:
    """Every member the group has had, split into current, upcoming and former: one query."""
    on = on or timezone.localdate()
    members = list(
        group.members.select_related("user", "organisation").order_by("side", "term_start", "pk")
    )
    roster = MemberRoster(current=[], upcoming=[], former=[])
    for member in members:
        if member.term_start > on:
            roster.upcoming.append(member)
        elif member.term_end is not None and member.term_end < on:
            roster.former.append(member)
        else:
            roster.current.append(member)
    roster.former.sort(key=lambda m: m.term_end, reverse=True)
    return roster


@dataclass
class SideColumn:
    side: str
    label: str
    members: list[GroupMember] = field(default_factory=list)

    @property
    def voting_count(self) -> int:
        """Members who sit in their own right; deputies only serve when someone is absent."""
        return sum(1 for m in self.members if m.role != MemberRole.DEPUTY)

    @property
    def deputy_count(self) -> int:
        return sum(1 for m in self.members if m.role == MemberRole.DEPUTY)


@dataclass
class GroupComposition:
    sides: list[SideColumn]

    @property
    def is_balanced(self) -> bool:
        counts = {column.voting_count for column in self.sides}
        return len(counts) == 1 and 0 not in counts


def group_composition(
    *, group: CooperationGroup, on: datetime.date | None = None
) -> GroupComposition:
    """Current members by side and, within a side, by role (chair first, deputies last)."""
    members = list(group_member_current_list(group=group, on=on))
    members.sort(key=lambda m: (ROLE_ORDER.index(m.role), str(m.user)))
    sides = [SideColumn(side.value, side.label) for side in PartySide]
    by_side = {column.side: column for column in sides}
    for member in members:
        by_side[member.side].members.append(member)
    return GroupComposition(sides=sides)


def meeting_list(*, group: CooperationGroup) -> QuerySet[Meeting]:
    return Meeting.objects.filter(group=group).select_related(
        "minutes", "minutes__published_revision"
    )


def meetings_split(
    *, group: CooperationGroup, now: datetime.datetime | None = None
) -> tuple[list[Meeting], list[Meeting]]:
    """(upcoming soonest first, past latest first)."""
    now = now or timezone.now()
    meetings = list(meeting_list(group=group).order_by("starts_at"))
    upcoming = [m for m in meetings if m.ends_at >= now]
    # The agenda of upcoming meetings is shown in the list: one query for all of them.
    prefetch_related_objects(
        upcoming, Prefetch("agenda_items", queryset=AgendaItem.objects.order_by("position"))
    )
    past = [m for m in reversed(meetings) if m.ends_at < now]
    return upcoming, past


def meeting_get(*, pk: int) -> Meeting | None:
    return (
        Meeting.objects.filter(pk=pk)
        .select_related("group", "group__agreement", "minutes", "minutes__published_revision")
        .prefetch_related(
            Prefetch(
                "agenda_items",
                queryset=AgendaItem.objects.order_by("position").prefetch_related("attachments"),
            ),
            "attachments",
        )
        .first()
    )


# --- The one compliance rule: "the group meets at least four times a year" -------------------
# Which year: the calendar year in Stockholm (the year of the annual follow-up report).
# Which meetings: every meeting of the cooperation group, of every kind (group meetings,
# dialogue meetings, the follow-up conference, review meetings), held or planned in that year.
# The meetings page, the staff reminder and the annual report all ask `meeting_requirement`.


def calendar_year_bounds(year: int) -> tuple[datetime.datetime, datetime.datetime]:
    tz = timezone.get_current_timezone()
    return datetime.datetime(year, 1, 1, tzinfo=tz), datetime.datetime(year + 1, 1, 1, tzinfo=tz)


@dataclass
class MeetingRequirement:
    year: int
    held: int
    planned: int
    required: int = MINIMUM_MEETINGS_PER_YEAR

    @property
    def total(self) -> int:
        return self.held + self.planned

    @property
    def met(self) -> bool:
        return self.total >= self.required

    @property
    def missing(self) -> int:
        return max(self.required - self.total, 0)


def _requirement_of(
    year: int, starts: list[datetime.datetime], now: datetime.datetime
) -> MeetingRequirement:
    held = sum(1 for moment in starts if moment < now)
    return MeetingRequirement(year=year, held=held, planned=len(starts) - held)


def _meetings_of_year(year: int) -> QuerySet[Meeting]:
    start, end = calendar_year_bounds(year)
    return Meeting.objects.filter(starts_at__gte=start, starts_at__lt=end)


def meeting_years(*, group: CooperationGroup) -> list[int]:
    """The calendar years (Stockholm) in which the group has meetings, held or planned."""
    return [
        day.year
        for day in Meeting.objects.filter(group=group).datetimes(
            "starts_at", "year", tzinfo=timezone.get_current_timezone()
        )
    ]


def meeting_requirement(
    *, group: CooperationGroup, year: int, now: datetime.datetime | None = None
) -> MeetingRequirement:
    """How the group stands against "at least four meetings a year" (see the rule above)."""
    starts = list(_meetings_of_year(year).filter(group=group).values_list("starts_at", flat=True))
    return _requirement_of(year, starts, now or timezone.now())


@dataclass
class YearOverview:
    year: int
    held: int
    planned: int
    required: int
    by_kind: dict[str, int]
    review_due_on: datetime.date | None

    @property
    def total(self) -> int:
        return self.held + self.planned

    @property
    def meets_requirement(self) -> bool:
        return self.total >= self.required

    @property
    def missing(self) -> int:
        return max(self.required - self.total, 0)


def year_overview(
    *, group: CooperationGroup, year: int, now: datetime.datetime | None = None
) -> YearOverview:
    """Meetings of the group held and planned in a calendar year, against the minimum of four.

    Every kind counts: the agreement asks the group to meet, and dialogue meetings and the
    follow-up conference are meetings of the group too."""
    now = now or timezone.now()
    rows = list(_meetings_of_year(year).filter(group=group).values_list("kind", "starts_at"))
    # The same rule as `meeting_requirement`, from the rows this page reads anyway.
    requirement = _requirement_of(year, [starts for _kind, starts in rows], now)
    version = (
        AgreementVersion.objects.filter(agreement_id=group.agreement_id, is_current=True)
        .only("review_due_on")
        .first()
    )
    return YearOverview(
        year=year,
        held=requirement.held,
        planned=requirement.planned,
        required=requirement.required,
        by_kind=dict(Counter(kind for kind, _starts in rows)),
        review_due_on=version.review_due_on if version else None,
    )


def minutes_get(*, meeting: Meeting) -> Minutes | None:
    return (
        Minutes.objects.filter(meeting=meeting)
        .select_related("meeting", "meeting__group", "chair", "secretary", "current_revision")
        .prefetch_related(
            "checkers",
            Prefetch(
                "attendance",
                queryset=Attendance.objects.select_related(
                    "member__user", "member__organisation", "serving_for__user"
                ),
            ),
            Prefetch(
                "items",
                queryset=MinutesItem.objects.order_by("number").prefetch_related(
                    "attachments", "commitments", "actions__owner"
                ),
            ),
        )
        .first()
    )


def _user_name(user: object | None) -> str:
    return str(user) if user is not None else ""


def minutes_document(*, minutes: Minutes) -> dict:
    """The minutes as a plain, JSON-safe document: what a revision freezes and pages render."""
    minutes = minutes_get(meeting=minutes.meeting) or minutes
    meeting = minutes.meeting
    attendance = [
        {
            "name": _user_name(row.member.user),
            "organisation": row.member.organisation.name if row.member.organisation else "",
            "side": row.member.side,
            "role": row.member.role,
            "status": row.status,
            "serving_for": _user_name(row.serving_for.user) if row.serving_for else "",
        }
        for row in sorted(
            minutes.attendance.all(),
            key=lambda r: (r.member.side, ROLE_ORDER.index(r.member.role), str(r.member.user)),
        )
    ]
    items = []
    attachment_ids: list[int] = []
    for item in minutes.items.all():
        attachments = [{"id": a.pk, "title": a.title} for a in item.attachments.all()]
        attachment_ids.extend(a["id"] for a in attachments)
        items.append(
            {
                "number": item.number,
                "year": item.year,
                "heading": item.heading,
                "notes": item.notes,
                "decision": item.decision,
                "attachments": attachments,
                "commitments": [{"id": c.pk, "text": c.text[:200]} for c in item.commitments.all()],
                "commitment_status": item.commitment_status,
                "actions": [
                    {
                        "text": a.text,
                        "owner": _user_name(a.owner),
                        "due_on": a.due_on.isoformat() if a.due_on else "",
                    }
                    for a in item.actions.all()
                ],
            }
        )
    return {
        "meeting": {
            "id": meeting.pk,
            "kind": meeting.kind,
            "title": meeting.title,
            "starts_at": meeting.starts_at.isoformat(),
            "ends_at": meeting.ends_at.isoformat(),
            "location": meeting.location,
        },
        "chair": _user_name(minutes.chair),
        "secretary": _user_name(minutes.secretary),
        "checkers": [_user_name(u) for u in minutes.checkers.all()],
        "attendance": attendance,
        "other_participants": minutes.other_participants,
        "items": items,
        "attachment_ids": attachment_ids,
    }


def document_for_display(content: dict) -> dict:
    """Add the labels (in the active language) and real datetimes a template needs."""
    from commitments.models import CommitmentStatus

    from .models import MeetingKind

    labels_status = dict(AttendanceStatus.choices)
    labels_side = dict(PartySide.choices)
    labels_role = dict(MemberRole.choices)
    labels_commitment = dict(CommitmentStatus.choices)
    meeting = dict(content["meeting"])
    meeting["kind_label"] = dict(MeetingKind.choices).get(meeting["kind"], meeting["kind"])
    meeting["starts"] = datetime.datetime.fromisoformat(meeting["starts_at"])
    meeting["ends"] = datetime.datetime.fromisoformat(meeting["ends_at"])
    groups: dict[str, list[dict]] = {status: [] for status in AttendanceStatus.values}
    for row in content["attendance"]:
        groups.setdefault(row["status"], []).append(
            {
                **row,
                "side_label": labels_side.get(row["side"], ""),
                "role_label": labels_role.get(row["role"], ""),
            }
        )
    items = []
    for item in content["items"]:
        items.append(
            {
                **item,
                "commitment_status_label": labels_commitment.get(item["commitment_status"], ""),
                "actions": [
                    {
                        **a,
                        "due": datetime.date.fromisoformat(a["due_on"]) if a["due_on"] else None,
                    }
                    for a in item["actions"]
                ],
            }
        )
    return {
        **content,
        "meeting": meeting,
        "present": groups[AttendanceStatus.PRESENT],
        "deputies": groups[AttendanceStatus.DEPUTY_SERVING],
        "absent": groups[AttendanceStatus.ABSENT],
        "items": items,
        "status_labels": labels_status,
    }


def decision_actions_in_follow_up(*, minutes: Minutes) -> QuerySet[DecisionAction]:
    """The decisions' actions that became commitments Actions, with where they live now."""
    return (
        DecisionAction.objects.filter(item__minutes=minutes, action__isnull=False)
        .select_related("item", "action__commitment", "action__principle", "action__owner")
        .order_by("item__number", "pk")
    )


def minutes_revision_list(*, minutes: Minutes) -> QuerySet[MinutesRevision]:
    return (
        MinutesRevision.objects.filter(minutes=minutes)
        .select_related("created_by", "publication__published_by")
        .prefetch_related("approvals__user")
        .order_by("number")
    )


def minutes_published_list(*, group: CooperationGroup) -> QuerySet[Minutes]:
    return (
        Minutes.objects.filter(meeting__group=group, published_revision__isnull=False)
        .select_related("meeting")
        .order_by("-meeting__starts_at")
    )


def minutes_awaiting_user(*, user: object) -> QuerySet[Minutes]:
    """Minutes sent for approval where the user is a checker or the chair."""
    return (
        Minutes.objects.filter(status=MinutesStatus.SENT)
        .filter(Q(checkers=user) | Q(chair=user))
        .exclude(current_revision__approvals__user=user)
        .select_related("meeting")
        .distinct()
    )


def attachment_get(*, pk: int) -> Attachment | None:
    return Attachment.objects.filter(pk=pk).select_related("meeting").first()


def calendar_meetings(*, group: CooperationGroup | None = None, user: object | None = None):
    """Meetings for a calendar feed: from a year back, for one group or the user's groups."""
    since = timezone.now() - datetime.timedelta(days=366)
    qs = Meeting.objects.filter(starts_at__gte=since).select_related("group")
    if group is not None:
        qs = qs.filter(group=group)
    if user is not None:
        today = timezone.localdate()
        qs = qs.filter(
            group__members__in=GroupMember.objects.serving_on(today).filter(user=user)
        ).distinct()
    return qs.order_by("starts_at")


def calendar_token_user(*, token: str) -> object | None:
    """The active user whose private feed address holds this secret, if any."""
    entry = CalendarToken.objects.filter(token=token).select_related("user").first()
    if entry is None or not entry.user.is_active:
        return None
    return entry.user
