"""Everything the follow-up report shows for one year, read with a fixed number of queries."""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import F, QuerySet
from django.utils import timezone

from agreements.models import Agreement, AgreementVersion, Principle, Signature
from commitments.models import (
    ACTION_CLOSED_STATUSES,
    Action,
    ActionStatus,
    Commitment,
    CommitmentStatus,
    DevelopmentArea,
    StatusUpdate,
)
from lov_portal.accounts.models import User
from lov_portal.accounts.permissions import is_staff
from meetings.models import (
    MINIMUM_MEETINGS_PER_YEAR,
    GroupMember,
    Meeting,
    MinutesRevision,
)
from meetings.selectors import calendar_year_bounds, group_get, meeting_requirement
from organisations.models import LegalForm, Organisation

from .models import EditionStatus, ReportEdition


@dataclass
class CommitmentRow:
    commitment: Commitment
    status_label: str
    updates: list[StatusUpdate] = field(default_factory=list)


@dataclass
class PrincipleSection:
    principle: Principle
    commitments: list[CommitmentRow]


@dataclass
class ReportData:
    year: int
    agreement: Agreement
    version: AgreementVersion | None
    signatories: list[Organisation]
    joined: int
    withdrawn: int
    status_counts: list[tuple[str, int]]
    meetings: list[Meeting]
    group_meetings_held: int
    minimum_meetings: int
    by_municipality: list[tuple[str, int]]
    by_legal_form: list[tuple[str, int]]
    principles: list[PrincipleSection]
    # Commitment status counts per principle, for commitments/charts.status_by_principle_svg.
    status_by_principle: list[tuple[str, dict[str, int]]] = field(default_factory=list)
    action_counts: list[tuple[str, int]] = field(default_factory=list)
    actions_overdue: list[Action] = field(default_factory=list)
    decisions: list[DecisionRow] = field(default_factory=list)
    development_areas: list[DevelopmentArea] = field(default_factory=list)
    # The register log's latest signed checkpoint and the keys to check it: a printed copy
    # outside the server (docs/evidence.md).
    checkpoint_note: str = ""
    verifier_keys: list[str] = field(default_factory=list)


@dataclass
class DecisionRow:
    """One § of the published minutes, as published (from the frozen revision)."""

    meeting_date: datetime.date
    number: int
    heading: str
    decision: str


def _actions_of_year(
    agreement: Agreement, start: datetime.datetime, end: datetime.datetime
) -> tuple[list[tuple[str, int]], list[Action]]:
    """Actions that existed during the year. Actions keep no status history, so the counts are
    the status when the report is made; overdue means due by 31 December and still open."""
    actions = list(
        Action.objects.filter(principle__agreement=agreement, created_at__lt=end)
        .exclude(retired_at__lt=start)
        .select_related("principle", "commitment")
        .order_by("due_date", "pk")
    )
    counter = Counter(action.status for action in actions)
    counts = [(str(label), counter[value]) for value, label in ActionStatus.choices]
    last_day = (end - datetime.timedelta(days=1)).date()
    overdue = [
        action
        for action in actions
        if action.due_date is not None
        and action.due_date <= last_day
        and action.status not in ACTION_CLOSED_STATUSES
        and action.retired_at is None
    ]
    return counts, overdue


def _decisions_of_year(
    agreement: Agreement, start: datetime.datetime, end: datetime.datetime
) -> list[DecisionRow]:
    """The § items of the year's published minutes, read from the published revision so a
    correction being drafted does not leak into the report."""
    revisions = MinutesRevision.objects.filter(
        minutes__meeting__group__agreement=agreement,
        minutes__meeting__starts_at__gte=start,
        minutes__meeting__starts_at__lt=end,
        minutes__published_revision=F("pk"),
    ).select_related("minutes__meeting")
    rows = []
    for revision in revisions:
        day = timezone.localdate(revision.minutes.meeting.starts_at)
        for item in (revision.content or {}).get("items", []):
            rows.append(
                DecisionRow(
                    meeting_date=day,
                    number=int(item.get("number") or 0),
                    heading=item.get("heading", ""),
                    decision=item.get("decision", ""),
                )
            )
    rows.sort(key=lambda row: (row.meeting_date, row.number))
    return rows


def report_data(*, agreement: Agreement, year: int) -> ReportData:
    start, end = calendar_year_bounds(year)
    signatures = list(
        Signature.objects.filter(agreement_version__agreement=agreement, signed_at__lt=end)
        .values_list("organisation_id", "signed_at", "withdrawal__withdrawn_at")
        .order_by()
    )
    active_at_end: set[int] = set()
    active_at_start: set[int] = set()
    withdrawn_orgs: set[int] = set()
    for organisation_id, signed_at, withdrawn_at in signatures:
        if withdrawn_at is None or withdrawn_at >= end:
            active_at_end.add(organisation_id)
        if signed_at < start and (withdrawn_at is None or withdrawn_at >= start):
            active_at_start.add(organisation_id)
        if withdrawn_at is not None and start <= withdrawn_at < end:
            withdrawn_orgs.add(organisation_id)
    joined = len(active_at_end - active_at_start)
    signatories = list(
        Organisation.objects.filter(pk__in=active_at_end)
        .only("name", "organisation_number", "legal_form", "whole_county")
        .order_by("name", "pk")
    )
    through = Organisation.municipalities.through
    municipality_counts = Counter(
        name
        for name in through.objects.filter(organisation_id__in=active_at_end).values_list(
            "municipality__name", flat=True
        )
    )
    by_municipality = sorted(municipality_counts.items(), key=lambda item: (-item[1], item[0]))
    whole_county = sum(1 for org in signatories if org.whole_county)
    if whole_county:
        from django.utils.translation import gettext

        by_municipality.append((gettext("Hela länet"), whole_county))
    labels = dict(LegalForm.choices)
    form_counts = Counter(org.legal_form for org in signatories)
    by_legal_form = sorted(
        ((str(labels.get(key, key)), count) for key, count in form_counts.items()),
        key=lambda item: (-item[1], item[0]),
    )

    commitments = list(
        Commitment.objects.filter(principle__agreement=agreement, created_at__lt=end)
        .exclude(retired_at__lt=start)
        .order_by("principle__order", "order", "pk")
    )
    updates = list(
        StatusUpdate.objects.filter(commitment__in=commitments, created_at__lt=end)
        .order_by("commitment_id", "created_at", "pk")
        .only("commitment_id", "status", "narrative", "refers_to", "created_at", "is_internal")
    )
    status_at_end: dict[int, str] = {}
    updates_in_year: dict[int, list[StatusUpdate]] = defaultdict(list)
    for update in updates:
        status_at_end[update.commitment_id] = update.status
        if update.created_at >= start and not update.is_internal:
            updates_in_year[update.commitment_id].append(update)
    status_labels = dict(CommitmentStatus.choices)
    by_principle: dict[int, list[CommitmentRow]] = defaultdict(list)
    status_counter: Counter[str] = Counter()
    for commitment in commitments:
        status = status_at_end.get(commitment.pk, CommitmentStatus.NOT_STARTED)
        status_counter[status] += 1
        by_principle[commitment.principle_id].append(
            CommitmentRow(commitment, str(status_labels[status]), updates_in_year[commitment.pk])
        )
    status_counts = [
        (str(label), status_counter[value]) for value, label in CommitmentStatus.choices
    ]
    principles = [
        PrincipleSection(principle, by_principle[principle.pk])
        for principle in Principle.objects.filter(agreement=agreement).order_by("order")
    ]
    meetings = list(
        Meeting.objects.filter(
            group__agreement=agreement, starts_at__gte=start, starts_at__lt=end
        ).order_by("starts_at")
    )
    group = group_get(agreement=agreement)
    # The one rule (meetings.selectors.meeting_requirement): the calendar year, every kind.
    requirement = meeting_requirement(group=group, year=year) if group else None
    status_by_principle = []
    for section in principles:
        counts: Counter[str] = Counter()
        for row in section.commitments:
            counts[status_at_end.get(row.commitment.pk, CommitmentStatus.NOT_STARTED)] += 1
        label = f"{section.principle.order}. {section.principle.display_name}"
        status_by_principle.append((label[:32], dict(counts)))
    action_counts, actions_overdue = _actions_of_year(agreement, start, end)
    development_areas = list(
        DevelopmentArea.objects.filter(agreement=agreement, created_at__lt=end)
        .exclude(retired_at__lt=start)
        .order_by("order", "pk")
    )
    return ReportData(
        year=year,
        agreement=agreement,
        version=AgreementVersion.objects.filter(agreement=agreement, is_current=True).first(),
        signatories=signatories,
        joined=joined,
        withdrawn=len(withdrawn_orgs),
        status_counts=status_counts,
        meetings=meetings,
        group_meetings_held=requirement.total if requirement else 0,
        minimum_meetings=MINIMUM_MEETINGS_PER_YEAR,
        by_municipality=by_municipality,
        by_legal_form=by_legal_form,
        principles=principles,
        status_by_principle=status_by_principle,
        action_counts=action_counts,
        actions_overdue=actions_overdue,
        decisions=_decisions_of_year(agreement, start, end),
        development_areas=development_areas,
        **_evidence_of(agreement),
    )


def _evidence_of(agreement: Agreement) -> dict[str, object]:
    from agreements.evidence import agreement_checkpoint
    from lov_portal.tlog.keys import log_verifier_keys

    checkpoint = agreement_checkpoint(agreement)
    return {
        "checkpoint_note": checkpoint.note if checkpoint else "",
        "verifier_keys": log_verifier_keys(),
    }


def report_edition_get(*, pk: int, done: bool = False) -> ReportEdition | None:
    """One edition with who ordered it; with `done`, only a finished one."""
    editions = ReportEdition.objects.select_related("created_by")
    if done:
        editions = editions.filter(status=EditionStatus.DONE)
    return editions.filter(pk=pk).first()


def report_edition_list() -> QuerySet[ReportEdition]:
    return ReportEdition.objects.select_related("created_by").order_by("-year", "-edition")


def user_may_read_reports(user: User) -> bool:
    """Staff and the cooperation group's current members may read the reports."""
    if not user.is_authenticated or not user.is_active:
        return False
    if is_staff(user):
        return True
    today = timezone.localdate()
    return GroupMember.objects.serving_on(today).filter(user=user).exists()


def running_editions() -> QuerySet[ReportEdition]:
    return ReportEdition.objects.filter(status__in=[EditionStatus.QUEUED, EditionStatus.RUNNING])
