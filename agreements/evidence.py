"""What the register asserts, as entries of the agreement's public transparency log.

One log per agreement (named by its slug). Four kinds of event are appended, in the same
transaction as the row they describe:

- `version`: a version is published (number, text SHA-256);
- `signature`: an organisation signs online, or the region's decision is registered (with
  `method`, "password" or "bankid", for online signatures made since the method is recorded);
- `withdrawal`: an organisation leaves (points at the signature's entry).

Each entry is canonical JSON (docs/evidence.md) of public fields only. The private evidence
(signer, authority, IP address, user agent, receipt code, the withdrawal's reason) is
committed to by `private_sha256`: per-field salted SHA-256 digests kept in the database. A
BankID signature adds the private field `bankid_evidence`: the SHA-256 of the canonical JSON of
BankID's completionData (signature XML, OCSP response, the signer's personal identity number
and name), which is kept in `BankIDEvidence` and never published.

`entry_expected` recomputes an entry from the rows as they are now, so a row changed behind
the log's back is found by `register_check`.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ObjectDoesNotExist
from django.db import transaction

from lov_portal.tlog import selectors as log_selectors
from lov_portal.tlog.models import Log, LogEntry, PrivateCommitment
from lov_portal.tlog.services import (
    log_append,
    log_get_or_create,
    private_commitment,
    private_digest,
)
from tools.lov_verify import (
    VerificationError,
    parse_checkpoint,
    root_hash,
    verify_consistency,
    verify_note,
)

from .models import (
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


# --- checking -----------------------------------------------------------------------------


@dataclass
class RegisterCheck:
    agreement: str
    entries: int = 0
    checkpoint_size: int | None = None
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _expected_entries(agreement: Agreement) -> dict[int, tuple[str, dict, dict | None]]:
    """index -> (what row, public entry without index/private_sha256, private fields)."""
    expected: dict[int, tuple[str, dict, dict | None]] = {}
    versions = AgreementVersion.objects.filter(agreement=agreement).select_related(
        "agreement", "log_entry"
    )
    for version in versions:
        if version.log_entry_id is None:
            if version.published_at is not None:
                expected[-version.pk] = (f"version {version.number}", {}, None)
            continue
        entry = version_entry(version, version.published_at)
        expected[version.log_entry.index] = (f"version {version.number}", entry, None)
    signatures = Signature.objects.filter(agreement_version__agreement=agreement).select_related(
        "organisation",
        "agreement_version__agreement",
        "agreement_version__log_entry",
        "log_entry",
        "bankid_evidence",
    )
    for signature in signatures.iterator(chunk_size=1000):
        what = f"signature {signature.pk} ({signature.organisation_name})"
        if signature.log_entry_id is None:
            expected[-1_000_000 - signature.pk] = (what, {}, None)
            continue
        expected[signature.log_entry.index] = (
            what,
            signature_entry(signature),
            signature_private(signature),
        )
    withdrawals = Withdrawal.objects.filter(
        signature__agreement_version__agreement=agreement
    ).select_related(
        "signature__organisation",
        "signature__agreement_version__agreement",
        "signature__log_entry",
        "log_entry",
    )
    for withdrawal in withdrawals.iterator(chunk_size=1000):
        what = f"withdrawal {withdrawal.pk} ({withdrawal.signature.organisation_name})"
        if withdrawal.log_entry_id is None or withdrawal.signature.log_entry_id is None:
            expected[-2_000_000 - withdrawal.pk] = (what, {}, None)
            continue
        expected[withdrawal.log_entry.index] = (
            what,
            withdrawal_entry(withdrawal),
            withdrawal_private(withdrawal),
        )
    return expected


def register_public(agreement: Agreement) -> list[dict[str, object]]:
    """The register as the rows say now, in entry form: what `tools/lov_verify.py` compares
    with the log. Rows without an entry appear with `"entry": null`."""
    rows = []
    for index, (what, entry, _private) in sorted(_expected_entries(agreement).items()):
        if index < 0:
            rows.append({"entry": None, "record": what.split(" (")[0]})
        else:
            rows.append({"entry": index, "fields": entry})
    return rows


def _private_problem(
    index: int, private: dict[str, str], commitment: PrivateCommitment | None, published: dict
) -> str | None:
    if commitment is None:
        return f"entry {index}: its private commitment is missing"
    digests = json.loads(commitment.digests)
    salts = {**json.loads(commitment.salts), **json.loads(commitment.purgeable_salts or "{}")}
    if private_commitment(digests) != published.get("private_sha256"):
        return f"entry {index}: the private digests do not match the published commitment"
    if set(digests) != set(private):
        return f"entry {index}: the private fields differ from those committed to"
    for name, value in private.items():
        salt = salts.get(name)
        if salt is None:
            if name in PURGEABLE and value == "":
                continue  # erased after the retention period: the digest alone stays
            return f"entry {index}: no salt for {name}"
        if private_digest(bytes.fromhex(salt), value) != digests[name]:
            return f"entry {index}: {name} differs from what was committed to"
    return None


def register_check(agreement: Agreement, *, saved_checkpoint: str | None = None) -> RegisterCheck:
    """Everything `tools/lov_verify.py` checks, from the database, plus each entry recomputed
    from the rows it describes (and each row's private evidence against its commitment)."""
    check = RegisterCheck(agreement.slug)
    log = log_selectors.log_by_name(agreement.slug)
    expected = _expected_entries(agreement)
    if log is None:
        if expected:
            check.problems.append("records exist but the agreement has no log")
        return check
    rows = list(LogEntry.objects.filter(log=log).order_by("index").select_related("private"))
    check.entries = len(rows)
    leaves = []
    for position, row in enumerate(rows):
        if row.index != position:
            check.problems.append(f"entry {position} is missing from the log")
            break
        data = row.data.encode()
        leaf = hashlib.sha256(b"\x00" + data).digest()
        if leaf.hex() != row.leaf_hash:
            check.problems.append(f"entry {row.index}: its stored leaf hash does not match it")
        leaves.append(leaf)
        published = json.loads(row.data)
        what, entry, private = expected.pop(row.index, (None, None, None))
        if what is None:
            check.problems.append(f"entry {row.index}: no record in the database matches it")
            continue
        rest = {k: v for k, v in published.items() if k not in ("index", "private_sha256")}
        if rest != entry:
            changed = sorted(k for k in {*rest, *entry} if rest.get(k) != entry.get(k))
            check.problems.append(
                f"entry {row.index}: {what} no longer matches it ({', '.join(changed)})"
            )
            continue
        if private is not None:
            commitment = getattr(row, "private", None)
            problem = _private_problem(row.index, private, commitment, published)
            if problem:
                check.problems.append(f"{problem} ({what})")
    for what, _, _ in expected.values():
        check.problems.append(f"{what} is not in the log")
    if check.problems:
        return check
    checkpoint = log_selectors.checkpoint_latest(log)
    if checkpoint is None:
        if rows:
            check.problems.append("no valid signed checkpoint")
        return check
    check.checkpoint_size = checkpoint.size
    _, size, root = parse_checkpoint(checkpoint.note.split("\n\n")[0] + "\n")
    if size > len(leaves) or root_hash(leaves[:size]) != root:
        check.problems.append(
            f"checkpoint {size}: the log's first {size} entries do not give its root"
        )
    if saved_checkpoint is not None:
        problem = _saved_problem(log, saved_checkpoint, leaves, root, size)
        if problem:
            check.problems.append(problem)
    return check


def _saved_problem(log: Log, saved: str, leaves: list[bytes], root: bytes, size: int) -> str | None:
    from lov_portal.tlog.keys import log_verifier_keys
    from lov_portal.tlog.merkle import consistency_proof

    try:
        origin, old_size, old_root = parse_checkpoint(verify_note(saved, log_verifier_keys()))
    except VerificationError as error:
        return f"saved checkpoint: {error}"
    if origin != log.origin:
        return f"saved checkpoint is for another log ({origin})"
    if old_size > len(leaves):
        return f"saved checkpoint {old_size}: the log has shrunk to {len(leaves)} entries"
    if root_hash(leaves[:old_size]) != old_root:
        return f"saved checkpoint {old_size}: the log was rewritten since"
    if 0 < old_size <= size and not verify_consistency(
        old_size, size, old_root, root, consistency_proof(old_size, leaves[:size])
    ):
        return f"saved checkpoint {old_size}: no consistency with checkpoint {size}"
    return None


def signature_entry_intact(signature: Signature) -> bool:
    """The signature's row still says what its log entry says."""
    if signature.log_entry_id is None:
        return False
    published = json.loads(signature.log_entry.data)
    rest = {k: v for k, v in published.items() if k not in ("index", "private_sha256")}
    return rest == signature_entry(signature)


def signature_log_position(signature: Signature) -> dict[str, object] | None:
    """For the receipt and the verify page: the entry, its index and its inclusion proof in
    the latest checkpoint (None before the entry is covered by one)."""
    from lov_portal.tlog.merkle import inclusion_proof

    if signature.log_entry_id is None:
        return None
    entry = signature.log_entry
    checkpoint = log_selectors.checkpoint_latest(entry.log)
    info: dict[str, object] = {"index": entry.index, "data": entry.data, "log": entry.log}
    if checkpoint is not None and checkpoint.size > entry.index:
        leaves = log_selectors.log_leaves(entry.log, size=checkpoint.size)
        info["checkpoint"] = checkpoint
        info["proof"] = [p.hex() for p in inclusion_proof(entry.index, leaves)]
    return info


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


def agreement_checkpoint(agreement: Agreement):
    """The latest valid signed checkpoint of the agreement's log, or None."""
    log = log_selectors.log_by_name(agreement.slug)
    return log_selectors.checkpoint_latest(log) if log else None


def how_to_verify_context() -> dict[str, object]:
    """What the public recipe page shows: the log, its latest checkpoint, the keys and the
    verifier's own SHA-256 (so a downloaded copy can be compared with the repository's)."""
    from django.conf import settings
    from django.urls import reverse

    from lov_portal.tlog.keys import log_verifier_keys

    log = log_selectors.log_default()
    verifier = Path(settings.BASE_DIR, "tools", "lov_verify.py").read_bytes()
    return {
        "log": log,
        "checkpoint": log_selectors.checkpoint_latest(log) if log else None,
        "vkeys": log_verifier_keys(),
        "verifier_sha256": hashlib.sha256(verifier).hexdigest(),
        "site_url": settings.SITE_URL,
        "verify_url": reverse("agreements:verify_lookup"),
    }
