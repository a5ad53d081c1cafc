""" "Att göra": what waits for one person, in a fixed number of queries (one per list, and
one query for the count in the navigation however many lists there are)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Exists, F, Func, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from agreements.models import AgreementVersion, Signature
from commitments.models import Commitment
from lov_portal.accounts.models import User
from lov_portal.accounts.permissions import is_staff
from meetings.models import Minutes
from meetings.selectors import minutes_awaiting_user
from organisations.models import (
    ApplicationDocumentKind,
    ApplicationDocumentRequest,
    Membership,
    MembershipRole,
    OrganisationApplication,
    OrganisationStatus,
)
from organisations.selectors import application_queue

# The same six months as the reminder about commitments without a status update.
STALE_AFTER_DAYS = 183


def stale_limit(now: datetime.datetime | None = None) -> datetime.datetime:
    return (now or timezone.now()) - datetime.timedelta(days=STALE_AFTER_DAYS)


def commitments_stale_for_user(
    *, user: User, now: datetime.datetime | None = None
) -> QuerySet[Commitment]:
    """Commitments the user reports on with no status update for six months."""
    limit = stale_limit(now)
    return (
        Commitment.objects.filter(owners=user, retired_at__isnull=True)
        .filter(
            Q(last_update_at__lte=limit) | Q(last_update_at__isnull=True, created_at__lte=limit)
        )
        .select_related("principle")
        .order_by("principle__order", "pk")
    )


def memberships_to_sign(*, user: User) -> QuerySet[Membership]:
    """The user's organisations (as admin or authorised signatory, approved) without an active
    signature on the current version: new ones, and those that signed an earlier version. An
    organisation that has left (signatures, none active) is not asked again."""
    organisation = OuterRef("organisation_id")
    active = Signature.objects.filter(organisation_id=organisation, withdrawal__isnull=True)
    return (
        Membership.objects.filter(
            user=user,
            role__in=[MembershipRole.ADMIN, MembershipRole.SIGNATORY],
            organisation__status=OrganisationStatus.APPROVED,
        )
        .filter(Exists(AgreementVersion.objects.filter(is_current=True)))
        .exclude(Exists(active.filter(agreement_version__is_current=True)))
        .filter(Exists(active) | ~Exists(Signature.objects.filter(organisation_id=organisation)))
        .select_related("organisation")
        .order_by("organisation__name")
    )


def _requested_kind() -> Subquery:
    """The kind of document asked for in the latest request for more information to the
    membership's organisation, if any."""
    return Subquery(
        ApplicationDocumentRequest.objects.filter(
            review__application__organisation=OuterRef("organisation_id")
        )
        .order_by("-review__created_at", "-review__pk")
        .values("kind")[:1]
    )


def applications_to_complete(*, user: User) -> QuerySet[Membership]:
    """The user's organisations (as administrator) whose application staff asked to complete."""
    return Membership.objects.filter(
        user=user,
        role=MembershipRole.ADMIN,
        organisation__status=OrganisationStatus.INFO_REQUESTED,
    )


def _applications(user: User) -> QuerySet[OrganisationApplication]:
    return application_queue() if is_staff(user) else OrganisationApplication.objects.none()


def _with_label(membership: Membership) -> Membership:
    kind = getattr(membership, "requested_kind", None)
    membership.requested_label = ApplicationDocumentKind(kind).label if kind else ""
    return membership


@dataclass
class TodoList:
    minutes: list[Minutes] = field(default_factory=list)
    to_sign: list[Membership] = field(default_factory=list)
    stale_commitments: list[Commitment] = field(default_factory=list)
    applications: list[OrganisationApplication] = field(default_factory=list)
    to_complete: list[Membership] = field(default_factory=list)
    memberships: list[Membership] = field(default_factory=list)

    @property
    def count(self) -> int:
        return (
            len(self.minutes)
            + len(self.to_sign)
            + len(self.stale_commitments)
            + len(self.applications)
            + len(self.to_complete)
        )


def todo_for_user(*, user: User) -> TodoList:
    """Five queries (four for a person who is not staff): the applications to complete come
    with the memberships."""
    memberships = [
        _with_label(membership)
        for membership in Membership.objects.filter(user=user)
        .select_related("organisation")
        .annotate(requested_kind=_requested_kind())
        .order_by("organisation__name")
    ]
    return TodoList(
        minutes=list(minutes_awaiting_user(user=user).order_by("meeting__starts_at")),
        to_sign=list(memberships_to_sign(user=user)),
        stale_commitments=list(commitments_stale_for_user(user=user)),
        applications=list(_applications(user)),
        to_complete=[
            m
            for m in memberships
            if m.role == MembershipRole.ADMIN
            and m.organisation.status == OrganisationStatus.INFO_REQUESTED
        ],
        memberships=memberships,
    )


def _count(queryset: QuerySet) -> Subquery:
    distinct = queryset.model.objects.filter(pk__in=queryset.values("pk"))
    return Subquery(
        distinct.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n"),
        output_field=IntegerField(),
    )


def todo_count(*, user: User) -> int:
    """What waits for the person, as one number in one query (for the navigation)."""
    counts = User.objects.filter(pk=user.pk).annotate(
        minutes=_count(minutes_awaiting_user(user=user)),
        to_sign=_count(memberships_to_sign(user=user)),
        stale=_count(commitments_stale_for_user(user=user)),
        applications=_count(_applications(user)),
        to_complete=_count(applications_to_complete(user=user)),
    )
    row = counts.values("minutes", "to_sign", "stale", "applications", "to_complete").first()
    return sum(value or 0 for value in row.values()) if row else 0
