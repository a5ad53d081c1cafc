"""The log entries of the register's rows, and appending them (the services call these
inside their transaction). What each entry holds: the package's docstring (agreements/evidence).
"""

from __future__ import annotations

import datetime
import hashlib
import json

from django.core.exceptions import ObjectDoesNotExist
from django.db import transaction

from lov_portal.tlog.models import Log, LogEntry
from lov_portal.tlog.services import (
    log_append,
    log_get_or_create,
)

from ..models import (
    Agreement,
    AgreementVersion,
    Signature,
    SignatureKind,
    SignatureMethod,
    Withdrawal,
)

ENTRY_FORMAT = 1
# Erased after the retention period (lov_portal.privacy): their salts go with them.
PURGEABLE = ("ip_address", "user_agent")


def _time(value: datetime.datetime) -> str:
    return value.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def agreement_log(agreement: Agreement) -> Log:
    return log_get_or_create(name=agreement.slug)


# --- entries ------------------------------------------------------------------------------


def version_entry(version: AgreementVersion, published_at: datetime.datetime) -> dict:
    return {
        "format": ENTRY_FORMAT,
        "type": "version",
        "agreement": version.agreement.slug,
        "version": version.number,
        "text_sha256": version.text_sha256,
        "published_at": _time(published_at),
    }


def signature_entry(signature: Signature) -> dict:
    version = signature.agreement_version
    entry = {
        "format": ENTRY_FORMAT,
        "type": "signature",
        "agreement": version.agreement.slug,
        "version": version.number,
        "version_entry": version.log_entry.index,
        "text_sha256": signature.text_sha256,
        "organisation": signature.organisation_name,
        # From the organisation the row points at: moving a signature changes it.
        "organisation_number": signature.organisation.organisation_number,
        "kind": signature.kind,
        "round": signature.round,
        "signed_at": _time(signature.signed_at),
        "consent_sha256": _sha256(signature.consent_text),
    }
    if signature.method:
        # Absent from entries made before the method was recorded, so they still match.
        entry["method"] = signature.method
    if signature.kind == SignatureKind.DECISION:
        entry["decision_body"] = signature.decision_body
        entry["decision_date"] = (
            signature.decision_date.isoformat() if signature.decision_date else ""
        )
        entry["decision_reference"] = signature.decision_reference
    return entry


def signature_private(signature: Signature) -> dict[str, str]:
    private = {
        "signer_name": signature.signer_name,
        "signer_title": signature.signer_title,
        "authority_reference": signature.authority_reference,
        "receipt_code": signature.receipt_code,
        "ip_address": signature.ip_address or "",
        "user_agent": signature.user_agent,
    }
    if signature.method == SignatureMethod.BANKID:
        private["bankid_evidence"] = bankid_evidence_sha256(signature)
    return private


def bankid_evidence_sha256(signature: Signature) -> str:
    """SHA-256 of the stored completionData (canonical JSON); empty if it is missing, which
    `register_check` then reports as a field that differs from its commitment."""
    try:
        record = signature.bankid_evidence
    except ObjectDoesNotExist:
        return ""
    return _sha256(record.completion_data)


def withdrawal_entry(withdrawal: Withdrawal) -> dict:
    signature = withdrawal.signature
    return {
        "format": ENTRY_FORMAT,
        "type": "withdrawal",
        "agreement": signature.agreement_version.agreement.slug,
        "version": signature.agreement_version.number,
        "signature_entry": signature.log_entry.index,
        "organisation": signature.organisation_name,
        "organisation_number": signature.organisation.organisation_number,
        "withdrawn_at": _time(withdrawal.withdrawn_at),
    }


def withdrawal_private(withdrawal: Withdrawal) -> dict[str, str]:
    return {
        "reason": withdrawal.reason,
        "withdrawn_by": str(withdrawal.withdrawn_by_id or ""),
    }


# --- appending (called by the services, inside their transaction) --------------------------


def version_published(version: AgreementVersion, *, at: datetime.datetime) -> LogEntry:
    entry = log_append(log=agreement_log(version.agreement), entry=version_entry(version, at))
    AgreementVersion.objects.filter(pk=version.pk).update(log_entry=entry, published_at=at)
    version.log_entry, version.published_at = entry, at
    return entry


def signature_logged(signature: Signature) -> LogEntry:
    """Append the (unsaved) signature's entry; the caller saves it with `log_entry` set."""
    version = signature.agreement_version
    if version.log_entry_id is None:
        raise ValueError("an unpublished version cannot be signed")
    return log_append(
        log=agreement_log(version.agreement),
        entry=signature_entry(signature),
        private=signature_private(signature),
        purgeable=PURGEABLE,
    )


def withdrawal_logged(withdrawal: Withdrawal) -> LogEntry:
    return log_append(
        log=agreement_log(withdrawal.signature.agreement_version.agreement),
        entry=withdrawal_entry(withdrawal),
        private=withdrawal_private(withdrawal),
    )


def bankid_disclosure(signature: Signature) -> dict[str, object]:
    """What staff hand over to prove a BankID signature to someone outside (a court, say):
    BankID's completionData (canonical JSON), its SHA-256, that field's salt and every private
    digest of the entry, and the entry itself. The recipient checks, without trusting us:
    SHA-256(completion_data) = value; SHA-256(salt || value) = digests["bankid_evidence"];
    SHA-256(canonical JSON of digests) = the entry's private_sha256; and the entry's inclusion
    in a signed checkpoint (tools/lov_verify.py). The signature XML and OCSP response inside
    are then checked with BankID's own certificates."""
    if signature.method != SignatureMethod.BANKID or signature.log_entry_id is None:
        raise ValueError("not a logged BankID signature")
    record = signature.bankid_evidence
    commitment = signature.log_entry.private
    return {
        "entry": {"index": signature.log_entry.index, "data": signature.log_entry.data},
        "digests": json.loads(commitment.digests),
        "field": "bankid_evidence",
        "value": _sha256(record.completion_data),
        "salt": json.loads(commitment.salts)["bankid_evidence"],
        "completion_data": record.completion_data,
    }


def evidence_backfill(agreement: Agreement) -> int:
    """Append entries for published versions, signatures and withdrawals made before the log
    existed (oldest first). Idempotent: rows that already have an entry are skipped."""
    count = 0
    with transaction.atomic():
        events: list[tuple[datetime.datetime, int, object]] = []
        for version in AgreementVersion.objects.filter(agreement=agreement, log_entry=None):
            if version.published_at or version.is_current or version.signatures.exists():
                events.append((version.published_at or version.created_at, 0, version))
        for signature in Signature.objects.filter(
            agreement_version__agreement=agreement, log_entry=None
        ):
            events.append((signature.signed_at, 1, signature))
        for withdrawal in Withdrawal.objects.filter(
            signature__agreement_version__agreement=agreement, log_entry=None
        ):
            events.append((withdrawal.withdrawn_at, 2, withdrawal))
        for at, kind, obj in sorted(events, key=lambda e: (e[0], e[1], e[2].pk)):
            if kind == 0:
                version_published(obj, at=at)
            elif kind == 1:
                obj.agreement_version.refresh_from_db()
                entry = signature_logged(obj)
                Signature.objects.filter(pk=obj.pk).update(log_entry=entry)
            else:
                obj.signature.refresh_from_db()
                entry = withdrawal_logged(obj)
                Withdrawal.objects.filter(pk=obj.pk).update(log_entry=entry)
            count += 1
    return count
