"""Reads of the group's meetings, their agendas and the one compliance rule (four a year)."""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet, prefetch_related_objects
from django.utils import timezone

from agreements.models import Agreement, AgreementVersion

from ..models import MINIMUM_MEETINGS_PER_YEAR, AgendaItem, CooperationGroup, Meeting


def meeting_next(*, agreement: Agreement, now: datetime.datetime | None = None) -> Meeting | None:
    return (
        Meeting.objects.filter(group__agreement=agreement, starts_at__gte=now or timezone.now())
        .order_by("starts_at")
        .first()
    )


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


def agenda_item_get(*, meeting: Meeting, pk: int) -> AgendaItem | None:
    return AgendaItem.objects.filter(pk=pk, meeting=meeting).first()


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
class YearOverview(MeetingRequirement):
    """The requirement of the year, with what the yearly overview page adds."""

    by_kind: dict[str, int] = field(default_factory=dict)
    review_due_on: datetime.date | None = None

    @property
    def meets_requirement(self) -> bool:
        return self.met


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
