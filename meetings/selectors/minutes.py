"""Reads of minutes: the working copy, the frozen document of a revision and how pages show
it, revisions and approvals, and what awaits a checker."""

from __future__ import annotations

import datetime

from django.db.models import Prefetch, Q, QuerySet

from lov_portal.core.choices import PartySide

from ..models import (
    Attendance,
    AttendanceStatus,
    CooperationGroup,
    DecisionAction,
    Meeting,
    MemberRole,
    Minutes,
    MinutesApproval,
    MinutesItem,
    MinutesPublication,
    MinutesRevision,
    MinutesStatus,
)
from .group import ROLE_ORDER


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

    from ..models import MeetingKind

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


def minutes_item_get(*, minutes: Minutes | None, pk: int) -> MinutesItem | None:
    return MinutesItem.objects.filter(pk=pk, minutes=minutes).first()


def minutes_item_commitment_ids(*, item: MinutesItem) -> list[int]:
    return list(item.commitments.values_list("pk", flat=True))


def minutes_revision_get(
    *, minutes: Minutes, number: int, published_only: bool
) -> MinutesRevision | None:
    revisions = minutes.revisions.filter(number=number)
    if published_only:
        revisions = revisions.filter(publication__isnull=False)
    return revisions.first()


def minutes_approval_list(*, revision: MinutesRevision) -> list[MinutesApproval]:
    return list(revision.approvals.select_related("user"))


def minutes_revision_is_published(*, revision: MinutesRevision) -> bool:
    return MinutesPublication.objects.filter(revision=revision).exists()
