"""The minutes' approval (justering): sending a draft to be checked, the checkers' and the
chair's answers, and opening approved minutes for a correction."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from lov_portal.audit.services import audit_record

from .. import signals
from ..models import (
    ApprovalDecision,
    Minutes,
    MinutesApproval,
    MinutesRevision,
    MinutesStatus,
    RevisionKind,
)
from ..rules import approver_ids
from ..selectors.minutes import minutes_document
from .common import MinutesStateError, minutes_lock
from .decisions import decisions_create_actions, decisions_post_status_updates
from .minutes import minutes_roles_check


def minutes_send_for_approval(*, minutes: Minutes, by: object) -> MinutesRevision:
    """Freeze the draft as a new revision and ask the checkers and the chair to approve it."""
    with transaction.atomic():
        minutes = minutes_lock(minutes)
        if minutes.status != MinutesStatus.DRAFT:
            raise MinutesStateError(_("Bara ett utkast kan skickas för justering."))
        if minutes.chair_id is None or not minutes.checkers.exists():
            raise MinutesStateError(
                _("Ange ordförande och minst en justerare innan protokollet skickas.")
            )
        if not minutes.items.exists():
            raise MinutesStateError(_("Protokollet har inga paragrafer."))
        # Again here: the header may predate the rules, or a term may have been corrected.
        minutes_roles_check(
            minutes=minutes,
            chair=minutes.chair,
            secretary=minutes.secretary,
            checkers=list(minutes.checkers.all()),
        )
        previous = minutes.revisions.order_by("-number").first()
        if minutes.pending_correction_reason:
            kind, reason = RevisionKind.CORRECTION, minutes.pending_correction_reason
        elif previous is None:
            kind, reason = RevisionKind.FIRST, ""
        else:
            kind, reason = RevisionKind.AFTER_RETURN, ""
        revision = MinutesRevision.objects.create(
            minutes=minutes,
            number=(previous.number if previous else 0) + 1,
            kind=kind,
            reason=reason,
            content=minutes_document(minutes=minutes),
            created_by=by,
        )
        minutes.current_revision = revision
        minutes.status = MinutesStatus.SENT
        minutes.save(update_fields=["current_revision", "status", "updated_at"])
        audit_record(
            actor=by,
            action="minutes.sent",
            obj=minutes,
            data={"revision": revision.number, "kind": revision.kind},
        )
        signals.minutes_sent.send(sender=Minutes, minutes=minutes)
    return revision


def _answer(*, minutes: Minutes, by: object, decision: str, comment: str) -> MinutesApproval:
    with transaction.atomic():
        minutes = minutes_lock(minutes)
        if minutes.status != MinutesStatus.SENT:
            raise MinutesStateError(_("Protokollet väntar inte på justering."))
        required = approver_ids(minutes)
        if by.pk not in required:
            raise PermissionDenied(_("Du är inte justerare eller ordförande för protokollet."))
        if by.pk == minutes.secretary_id:
            raise PermissionDenied(_("Den som för protokollet kan inte justera det."))
        revision = minutes.current_revision
        role = "chair" if by.pk == minutes.chair_id else "checker"
        try:
            with transaction.atomic():
                approval = MinutesApproval.objects.create(
                    revision=revision, user=by, role=role, decision=decision, comment=comment
                )
        except IntegrityError as error:
            raise MinutesStateError(_("Du har redan svarat på den här versionen.")) from error
        if decision == ApprovalDecision.RETURNED:
            minutes.status = MinutesStatus.DRAFT
            minutes.save(update_fields=["status", "updated_at"])
        else:
            approved = set(
                revision.approvals.filter(decision=ApprovalDecision.APPROVED).values_list(
                    "user_id", flat=True
                )
            )
            if required <= approved:
                minutes.status = MinutesStatus.APPROVED
                minutes.pending_correction_reason = ""
                minutes.save(update_fields=["status", "pending_correction_reason", "updated_at"])
                decisions_post_status_updates(minutes=minutes, by=by)
                decisions_create_actions(minutes=minutes)
        audit_record(
            actor=by,
            action=(
                "minutes.approved" if decision == ApprovalDecision.APPROVED else "minutes.returned"
            ),
            obj=minutes,
            data={"revision": revision.number, "role": role, "comment": comment},
        )
        signals.minutes_answered.send(sender=MinutesApproval, approval=approval)
    return approval


def minutes_approve(*, minutes: Minutes, by: object, comment: str = "") -> MinutesApproval:
    return _answer(minutes=minutes, by=by, decision=ApprovalDecision.APPROVED, comment=comment)


def minutes_return(*, minutes: Minutes, by: object, comment: str) -> MinutesApproval:
    if not comment.strip():
        raise ValidationError({"comment": _("Skriv vad som behöver ändras.")})
    return _answer(minutes=minutes, by=by, decision=ApprovalDecision.RETURNED, comment=comment)


def minutes_correction_start(*, minutes: Minutes, by: object, reason: str) -> Minutes:
    """Open approved minutes for a correction. What was approved stays in its revision, and the
    published version stays public until the correction is approved and published."""
    if not reason.strip():
        raise ValidationError({"reason": _("Ange skälet till rättelsen.")})
    with transaction.atomic():
        minutes = minutes_lock(minutes)
        if minutes.status not in (MinutesStatus.APPROVED, MinutesStatus.PUBLISHED):
            raise MinutesStateError(_("Bara justerade protokoll rättas; ett utkast ändras direkt."))
        minutes.status = MinutesStatus.DRAFT
        minutes.pending_correction_reason = reason.strip()
        minutes.save(update_fields=["status", "pending_correction_reason", "updated_at"])
        audit_record(
            actor=by, action="minutes.correction_started", obj=minutes, data={"reason": reason}
        )
    return minutes
