"""Withdrawal: an organisation leaves the agreement; its signatures stay, each with a
withdrawal record."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from lov_portal.audit.services import audit_record
from organisations.models import Organisation

from .. import evidence
from ..models import (
    Agreement,
    Signature,
    Withdrawal,
)


class NotSignedError(Exception):
    """There is no active signature to withdraw."""


def withdrawal_create(
    *, organisation: Organisation, agreement: Agreement, withdrawn_by: object, reason: str = ""
) -> list[Withdrawal]:
    """The organisation leaves the agreement: every active signature gets a withdrawal record."""
    with transaction.atomic():
        Agreement.objects.select_for_update().get(pk=agreement.pk)
        active = list(
            Signature.objects.filter(
                organisation=organisation,
                agreement_version__agreement=agreement,
                withdrawal__isnull=True,
            )
        )
        if not active:
            raise NotSignedError
        now = timezone.now()
        withdrawals = []
        for signature in active:
            withdrawal = Withdrawal(
                signature=signature,
                withdrawn_at=now,
                withdrawn_by=withdrawn_by,
                reason=reason.strip(),
            )
            withdrawal.log_entry = evidence.withdrawal_logged(withdrawal)
            withdrawal.save()
            withdrawals.append(withdrawal)
        audit_record(
            actor=withdrawn_by,
            action="signature.withdrawn",
            obj=organisation,
            data={"signatures": [s.pk for s in active], "reason": reason.strip()},
        )
        return withdrawals
