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

`entries`: the entries and appending them; `check`: checking the register against the log.
"""

from .check import (
    RegisterCheck,
    agreement_checkpoint,
    how_to_verify_context,
    register_check,
    register_public,
    signature_entry_intact,
    signature_log_position,
)
from .entries import (
    ENTRY_FORMAT,
    PURGEABLE,
    _sha256,
    agreement_log,
    bankid_disclosure,
    bankid_evidence_sha256,
    evidence_backfill,
    signature_entry,
    signature_logged,
    signature_private,
    version_entry,
    version_published,
    withdrawal_entry,
    withdrawal_logged,
    withdrawal_private,
)

__all__ = [
    "ENTRY_FORMAT",
    "PURGEABLE",
    "RegisterCheck",
    "_sha256",
    "agreement_checkpoint",
    "agreement_log",
    "bankid_disclosure",
    "bankid_evidence_sha256",
    "evidence_backfill",
    "how_to_verify_context",
    "register_check",
    "register_public",
    "signature_entry",
    "signature_entry_intact",
    "signature_log_position",
    "signature_logged",
    "signature_private",
    "version_entry",
    "version_published",
    "withdrawal_entry",
    "withdrawal_logged",
    "withdrawal_private",
]
