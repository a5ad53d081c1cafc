"""Reads of the transparency logs."""

from __future__ import annotations

from tools.lov_verify import VerificationError, verify_note

from .keys import log_verifier_keys
from .merkle import consistency_proof, inclusion_proof, leaf_hash, root_hash
from .models import Checkpoint, Log, LogEntry


def log_leaves(log: Log, *, size: int | None = None, recompute: bool = False) -> list[bytes]:
    """The leaf hashes in index order. With `recompute`, from the entries' bytes, and a gap or
    a stored hash that does not match its entry raises ValueError."""
    rows = LogEntry.objects.filter(log=log).order_by("index")
    if size is not None:
        rows = rows.filter(index__lt=size)
    leaves = []
    for expected, (index, data, stored) in enumerate(
        rows.values_list("index", "data", "leaf_hash")
    ):
        if index != expected:
            raise ValueError(f"log {log.name}: entry {expected} is missing")
        leaf = leaf_hash(data.encode()) if recompute else bytes.fromhex(stored)
        if recompute and leaf.hex() != stored:
            raise ValueError(f"log {log.name}: entry {index} does not match its leaf hash")
        leaves.append(leaf)
    return leaves


def checkpoint_latest(log: Log) -> Checkpoint | None:
    """The largest checkpoint whose signed note verifies with a key we accept.

    The note itself is checked, not the columns beside it: a row written into the table by
    someone without the key is ignored."""
    keys = log_verifier_keys()
    for checkpoint in Checkpoint.objects.filter(log=log).order_by("-size", "-pk")[:20]:
        try:
            verify_note(checkpoint.note, keys)
        except VerificationError:
            continue
        return checkpoint
    return None


def checkpoint_at_size(log: Log, *, size: int) -> Checkpoint | None:
    """The checkpoint of `log` at `size` (every checkpoint is kept; the latest row wins)."""
    return Checkpoint.objects.filter(log=log, size=size).order_by("-pk").first()


def log_by_name(name: str) -> Log | None:
    return Log.objects.filter(name=name).first()


def log_default() -> Log | None:
    """The log `/logg/` serves without a name: the default agreement's."""
    from django.conf import settings

    return Log.objects.filter(name=settings.DEFAULT_AGREEMENT_SLUG).first()


def entries_page(log: Log, *, start: int, limit: int) -> list[dict[str, object]]:
    return [
        {"index": index, "data": data}
        for index, data in LogEntry.objects.filter(log=log, index__gte=start)
        .order_by("index")
        .values_list("index", "data")[:limit]
    ]


def inclusion(log: Log, *, index: int, size: int) -> list[bytes]:
    leaves = log_leaves(log, size=size)
    if size > len(leaves) or not 0 <= index < size:
        raise ValueError("index or size outside the log")
    return inclusion_proof(index, leaves)


def consistency(log: Log, *, first: int, second: int) -> list[bytes]:
    leaves = log_leaves(log, size=second)
    if second > len(leaves) or not 0 < first <= second:
        raise ValueError("sizes outside the log")
    return consistency_proof(first, leaves)


def root(log: Log, *, size: int) -> bytes:
    return root_hash(log_leaves(log, size=size))
