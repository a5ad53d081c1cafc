"""Checking the register against its log: the rows as they say now (`register_public`),
the outsider's and the insider's check (`register_check`), one signature's entry and proof."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db.models import QuerySet

from lov_portal.tlog import selectors as log_selectors
from lov_portal.tlog.models import Log, LogEntry, PrivateCommitment
from lov_portal.tlog.services import (
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

from ..models import (
    Agreement,
    AgreementVersion,
    Signature,
    Withdrawal,
)
from .entries import (
    PURGEABLE,
    signature_entry,
    signature_private,
    version_entry,
    withdrawal_entry,
    withdrawal_private,
)


@dataclass
class RegisterCheck:
    agreement: str
    entries: int = 0
    checkpoint_size: int | None = None
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _expect_rows(
    expected: dict[int, tuple[str, dict, dict | None]],
    rows: QuerySet,
    *,
    what: Callable[[Any], str],
    logged: Callable[[Any], bool],
    entries: tuple[Callable[[Any], dict], Callable[[Any], dict]],
    unlogged_key: int,
) -> None:
    """Add each row's expected (public, private) entry under its log index; a row that is not
    logged goes under a negative key (`unlogged_key` less its pk) with no entry."""
    public, private = entries
    for row in rows.iterator(chunk_size=1000):
        if not logged(row):
            expected[unlogged_key - row.pk] = (what(row), {}, None)
            continue
        expected[row.log_entry.index] = (what(row), public(row), private(row))


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
    _expect_rows(
        expected,
        signatures,
        what=lambda s: f"signature {s.pk} ({s.organisation_name})",
        logged=lambda s: s.log_entry_id is not None,
        entries=(signature_entry, signature_private),
        unlogged_key=-1_000_000,
    )
    withdrawals = Withdrawal.objects.filter(
        signature__agreement_version__agreement=agreement
    ).select_related(
        "signature__organisation",
        "signature__agreement_version__agreement",
        "signature__log_entry",
        "log_entry",
    )
    _expect_rows(
        expected,
        withdrawals,
        what=lambda w: f"withdrawal {w.pk} ({w.signature.organisation_name})",
        logged=lambda w: w.log_entry_id is not None and w.signature.log_entry_id is not None,
        entries=(withdrawal_entry, withdrawal_private),
        unlogged_key=-2_000_000,
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
