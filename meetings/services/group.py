"""Writes to the group's members: appointing one for a term and ending a term."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from lov_portal.audit.services import audit_record
from lov_portal.core.services import validated_save

from ..models import CooperationGroup, GroupMember


def group_member_add(
    *,
    group: CooperationGroup,
    user: object,
    side: str,
    role: str,
    term_start: datetime.date,
    term_end: datetime.date | None = None,
    organisation: object | None = None,
    by: object | None = None,
) -> GroupMember:
    """Add a member for a term. A person holds one seat at a time: terms may not overlap."""
    with transaction.atomic():
        # Lock the group row: two staff adding the same person at once are serialised, so the
        # overlap check below sees the other's row.
        CooperationGroup.objects.select_for_update().get(pk=group.pk)
        existing = list(GroupMember.objects.filter(group=group, user=user).order_by("pk"))
        for other in existing:
            starts_before_new_ends = term_end is None or other.term_start <= term_end
            ends_after_new_starts = other.term_end is None or other.term_end >= term_start
            if starts_before_new_ends and ends_after_new_starts:
                raise ValidationError({"email": _("Personen är redan ledamot under den perioden.")})
        member = validated_save(
            GroupMember(
                group=group,
                user=user,
                organisation=organisation,
                side=side,
                role=role,
                term_start=term_start,
                term_end=term_end,
            )
        )
        audit_record(
            actor=by,
            action="group.member_appointed",
            obj=member,
            data={
                "user": member.user_id,
                "role": member.role,
                "side": member.side,
                "term_start": member.term_start.isoformat(),
                "term_end": member.term_end.isoformat() if member.term_end else None,
            },
        )
    return member


def group_member_end_term(
    *, member: GroupMember, term_end: datetime.date, by: object | None = None
) -> GroupMember:
    """End a member's term on `term_end` (the last day). The row is kept: it is the history."""
    with transaction.atomic():
        member = GroupMember.objects.select_for_update().get(pk=member.pk)
        if term_end < member.term_start:
            raise ValidationError({"term_end": _("Mandatet kan inte sluta innan det börjar.")})
        if member.term_end is not None and member.term_end < term_end:
            raise ValidationError({"term_end": _("Mandatet har redan upphört tidigare.")})
        member.term_end = term_end
        member.save(update_fields=["term_end"])
        audit_record(
            actor=by,
            action="group.term_ended",
            obj=member,
            data={"user": member.user_id, "term_end": term_end.isoformat()},
        )
    return member
