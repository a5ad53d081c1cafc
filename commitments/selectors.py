"""Reads of commitments, already prefetched."""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone

from agreements.models import Agreement, Principle
from lov_portal.accounts.models import User
from lov_portal.accounts.permissions import is_staff
from lov_portal.core.choices import ResponsibleSide
from organisations.models import Organisation, OrganisationStatus

from .models import (
    ACTION_CLOSED_STATUSES,
    Action,
    Commitment,
    CommitmentStatus,
    DevelopmentArea,
    StatusUpdate,
)

# A commitment without an update for this long needs a nudge.
STALE_AFTER = datetime.timedelta(days=183)


def _principles(agreement: Agreement, *prefetches: Prefetch) -> QuerySet[Principle]:
    """The agreement's principles in order, with these prefetches."""
    return (
        Principle.objects.filter(agreement=agreement)
        .order_by("order")
        .prefetch_related(*prefetches)
    )


def commitment_active_list(*, agreement: Agreement) -> QuerySet[Commitment]:
    return (
        Commitment.objects.filter(principle__agreement=agreement, retired_at__isnull=True)
        .select_related("principle")
        .order_by("principle__order", "order", "pk")
    )


def commitment_get(
    *, pk: int | None, agreement: Agreement | None = None, active: bool = False
) -> Commitment | None:
    """One commitment with its principle: retired ones too unless `active`, within
    `agreement` if given."""
    if not pk:
        return None
    commitments = Commitment.objects.select_related("principle")
    if agreement is not None:
        commitments = commitments.filter(principle__agreement=agreement)
    if active:
        commitments = commitments.filter(retired_at__isnull=True)
    return commitments.filter(pk=pk).first()


def commitment_reportable_list(*, agreement: Agreement, user: object) -> QuerySet[Commitment]:
    """The active commitments `user` may post updates on: every one for staff, otherwise the
    ones they own (the rule `commitments.post_update`, as a query)."""
    commitments = commitment_active_list(agreement=agreement)
    if is_staff(user):
        return commitments
    return commitments.filter(owners=user)


def commitment_reportable_any(*, agreement: Agreement, user: object) -> bool:
    """Whether `user` may post an update on any active commitment."""
    return commitment_reportable_list(agreement=agreement, user=user).exists()


def commitment_choice_list(*, commitment: Commitment) -> QuerySet[Commitment]:
    """Just this commitment, as the choices of an update form on its own page."""
    return Commitment.objects.filter(pk=commitment.pk).select_related("principle")


def status_update_with_attachment_get(*, pk: int) -> StatusUpdate | None:
    return StatusUpdate.objects.filter(pk=pk).exclude(attachment="").first()


def principle_list_with_commitments(*, agreement: Agreement) -> QuerySet[Principle]:
    """The agreement's principles, each with its active commitments in `active_commitments`."""
    active = Commitment.objects.filter(retired_at__isnull=True).order_by("order", "pk")
    return _principles(
        agreement, Prefetch("commitments", queryset=active, to_attr="active_commitments")
    )


@dataclass
class PublicFilters:
    """The public list's filters: plain GET links, so an unknown value is no filter."""

    principle: str = ""
    side: str = ""
    status: str = ""

    @classmethod
    def parse(cls, query: object, *, principle_keys: set[str]) -> PublicFilters:
        allowed = {
            "princip": principle_keys,
            "part": set(ResponsibleSide.values),
            "status": set(CommitmentStatus.values),
        }
        chosen = {
            name: value if (value := query.get(name, "")) in values else ""
            for name, values in allowed.items()
        }
        return cls(principle=chosen["princip"], side=chosen["part"], status=chosen["status"])

    @property
    def filtered(self) -> bool:
        return bool(self.principle or self.side or self.status)

    def as_query(self) -> dict[str, str]:
        """The chosen values under their query parameter names (for the template)."""
        return {"princip": self.principle, "part": self.side, "status": self.status}

    def shown(self, principles: list[Principle]) -> list[Principle]:
        """The principles the filter keeps, each with `shown_commitments` (of its
        `active_commitments`, from `principle_list_with_history`)."""
        shown = []
        for principle in principles:
            if self.principle and principle.key != self.principle:
                continue
            principle.shown_commitments = [
                c
                for c in principle.active_commitments
                if (not self.side or c.responsible_side == self.side)
                and (not self.status or c.status == self.status)
            ]
            shown.append(principle)
        return shown


def status_counts(commitments: list[Commitment]) -> dict[str, int]:
    """How many of these (already fetched) commitments are in each status."""
    counts = dict.fromkeys(CommitmentStatus.values, 0)
    for commitment in commitments:
        counts[commitment.status] += 1
    return counts


def _updates(*, include_internal: bool) -> QuerySet[StatusUpdate]:
    updates = StatusUpdate.objects.select_related("corrects").order_by("-created_at", "-pk")
    if not include_internal:
        updates = updates.filter(is_internal=False)
    return updates


def _open_actions() -> QuerySet[Action]:
    return Action.objects.filter(retired_at__isnull=True).order_by("order", "pk")


def principle_list_with_history(
    *, agreement: Agreement, include_internal: bool = False
) -> QuerySet[Principle]:
    """Principles → active commitments → their update history (newest first) and actions.

    Each principle gets `active_commitments` and `principle_actions` (actions not tied to a
    commitment); each commitment gets `history` and `action_list`. Internal updates are left
    out unless `include_internal`. Five queries, whatever the number of rows.
    """
    commitments = (
        Commitment.objects.filter(retired_at__isnull=True)
        .order_by("order", "pk")
        .prefetch_related(
            Prefetch(
                "updates", queryset=_updates(include_internal=include_internal), to_attr="history"
            ),
            Prefetch("actions", queryset=_open_actions(), to_attr="action_list"),
        )
    )
    return _principles(
        agreement,
        Prefetch("commitments", queryset=commitments, to_attr="active_commitments"),
        Prefetch(
            "actions",
            queryset=_open_actions().filter(commitment__isnull=True),
            to_attr="principle_actions",
        ),
    )


def commitment_get_with_history(*, pk: int, include_internal: bool = False) -> Commitment | None:
    """One commitment (retired ones too: their history stays public) with its full history."""
    return (
        Commitment.objects.filter(pk=pk)
        .select_related("principle", "principle__agreement")
        .prefetch_related(
            Prefetch(
                "updates",
                queryset=_updates(include_internal=include_internal).select_related("author"),
                to_attr="history",
            ),
            Prefetch(
                "actions", queryset=_open_actions().select_related("owner"), to_attr="action_list"
            ),
            "owners",
            "responsible_organisations",
            "development_areas",
        )
        .first()
    )


def status_counts_by_principle(
    *, agreement: Agreement, commitments: QuerySet[Commitment] | None = None
) -> list[tuple[Principle, dict[str, int]]]:
    """For each principle, how many active commitments are in each status (two queries)."""
    principles = list(_principles(agreement))
    if commitments is None:
        commitments = commitment_active_list(agreement=agreement)
    rows = commitments.order_by().values("principle_id", "status").annotate(n=Count("pk"))
    counts: dict[int, Counter] = {p.pk: Counter() for p in principles}
    for row in rows:
        counts.setdefault(row["principle_id"], Counter())[row["status"]] = row["n"]
    return [
        (principle, {status: counts[principle.pk][status] for status in CommitmentStatus.values})
        for principle in principles
    ]


def updates_per_month(
    *, agreement: Agreement, months: int = 12, include_internal: bool = True
) -> list[tuple[datetime.date, int]]:
    """The number of status updates per calendar month for the last `months` months, oldest
    first, with zero for months without updates."""
    today = timezone.localdate()
    first = today.replace(day=1)
    for _ in range(months - 1):
        first = (first - datetime.timedelta(days=1)).replace(day=1)
    start = timezone.make_aware(datetime.datetime.combine(first, datetime.time.min))
    updates = StatusUpdate.objects.filter(
        commitment__principle__agreement=agreement, created_at__gte=start
    )
    if not include_internal:
        updates = updates.filter(is_internal=False)
    rows = (
        updates.annotate(month=TruncMonth("created_at"))
        .order_by()
        .values("month")
        .annotate(n=Count("pk"))
    )
    by_month: dict[datetime.date, int] = {}
    for row in rows:
        month = row["month"]
        if isinstance(month, datetime.datetime):
            month = timezone.localtime(month).date() if timezone.is_aware(month) else month.date()
        by_month[month.replace(day=1)] = by_month.get(month.replace(day=1), 0) + row["n"]
    result = []
    month = first
    for _ in range(months):
        result.append((month, by_month.get(month, 0)))
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    return result


@dataclass
class DashboardFilters:
    principle: int | None = None
    side: str = ""
    status: str = ""

    def apply(self, commitments: QuerySet[Commitment]) -> QuerySet[Commitment]:
        if self.principle:
            commitments = commitments.filter(principle_id=self.principle)
        if self.side:
            commitments = commitments.filter(responsible_side=self.side)
        if self.status:
            commitments = commitments.filter(status=self.status)
        return commitments


@dataclass
class Dashboard:
    matrix: list[tuple[Principle, dict[str, int]]]
    commitments: list[Commitment]
    stale: list[Commitment]
    overdue_actions: list[Action]
    recent_updates: list[StatusUpdate]
    updates_by_month: list[tuple[datetime.date, int]] = field(default_factory=list)


def dashboard_get(
    *, agreement: Agreement, filters: DashboardFilters, recent: int = 15
) -> Dashboard:
    """Everything the staff dashboard shows, in a fixed number of queries."""
    now = timezone.now()
    commitments = filters.apply(commitment_active_list(agreement=agreement))
    matrix = status_counts_by_principle(agreement=agreement, commitments=commitments)
    listed = list(commitments.prefetch_related("owners"))
    stale = [c for c in listed if c.last_update_at is None or c.last_update_at < now - STALE_AFTER]
    actions = Action.objects.all()
    if filters.principle:
        actions = actions.filter(principle_id=filters.principle)
    overdue = list(
        actions.filter(
            principle__agreement=agreement,
            retired_at__isnull=True,
            due_date__lt=timezone.localdate(),
        )
        .exclude(status__in=ACTION_CLOSED_STATUSES)
        .filter(Q(commitment__isnull=True) | Q(commitment__in=commitments))
        .select_related("principle", "commitment", "owner")
        .order_by("due_date", "pk")
    )
    updates = list(
        StatusUpdate.objects.filter(commitment__in=commitments)
        .select_related("commitment", "commitment__principle", "author")
        .order_by("-created_at", "-pk")[:recent]
    )
    return Dashboard(
        matrix=matrix,
        commitments=listed,
        stale=stale,
        overdue_actions=overdue,
        recent_updates=updates,
        updates_by_month=updates_per_month(agreement=agreement),
    )


def commitment_owned_list(*, user: object) -> QuerySet[Commitment]:
    """The commitments a user reports on, active first, in the agreement's order."""
    return (
        Commitment.objects.filter(owners=user)
        .select_related("principle")
        .order_by("retired_at", "principle__order", "order", "pk")
    )


def user_owns_commitments(*, user: object) -> bool:
    """Whether the user reports on at least one active commitment: one cheap EXISTS query."""
    if not getattr(user, "is_authenticated", False):
        return False
    return Commitment.objects.filter(owners=user, retired_at__isnull=True).exists()


# --- Staff management ------------------------------------------------------------------------


def principle_list_for_manage(*, agreement: Agreement) -> QuerySet[Principle]:
    """Principles with every commitment (retired last) in `all_commitments` and every action
    in `all_actions`."""
    commitments = Commitment.objects.order_by("retired_at", "order", "pk")
    actions = Action.objects.select_related("owner", "commitment").order_by("order", "pk")
    return _principles(
        agreement,
        Prefetch("commitments", queryset=commitments, to_attr="all_commitments"),
        Prefetch("actions", queryset=actions, to_attr="all_actions"),
    )


def development_area_list(*, agreement: Agreement) -> QuerySet[DevelopmentArea]:
    return DevelopmentArea.objects.filter(agreement=agreement).prefetch_related(
        "commitments", "actions"
    )


def development_area_open_list(*, agreement: Agreement) -> QuerySet[DevelopmentArea]:
    return DevelopmentArea.objects.filter(agreement=agreement, retired_at__isnull=True)


def development_area_get(*, pk: int, agreement: Agreement) -> DevelopmentArea | None:
    return DevelopmentArea.objects.filter(pk=pk, agreement=agreement).first()


def action_open_list(*, agreement: Agreement) -> QuerySet[Action]:
    return Action.objects.filter(principle__agreement=agreement, retired_at__isnull=True)


def action_get(*, pk: int, agreement: Agreement) -> Action | None:
    return Action.objects.filter(pk=pk, principle__agreement=agreement).first()


def user_choice_list() -> QuerySet[User]:
    """The people who can own a commitment or an action: active accounts by e-mail."""
    return User.objects.filter(is_active=True).order_by("email")


def organisation_choice_list(*, commitment: Commitment | None = None) -> QuerySet[Organisation]:
    """Approved organisations by name, plus any the commitment already names."""
    wanted = Q(status=OrganisationStatus.APPROVED)
    if commitment is not None:
        wanted |= Q(pk__in=commitment.responsible_organisations.values("pk"))
    return Organisation.objects.filter(wanted).order_by("name", "pk")
