"""Every write to the transparency logs."""

from __future__ import annotations

import hashlib
import json
import logging
import secrets
from urllib.parse import urlsplit

from django.conf import settings
from django.db import IntegrityError, transaction

from lov_portal.core.cache import public_cache_bump
from tools.lov_verify import canonical_json

from .keys import log_signer
from .merkle import leaf_hash, root_hash
from .models import Checkpoint, Log, LogEntry, PrivateCommitment
from .note import checkpoint_body

logger = logging.getLogger(__name__)


class LogForkError(RuntimeError):
    """The stored log is not an extension of its last checkpoint: nothing is signed."""


def log_get_or_create(*, name: str) -> Log:
    """The log called `name`; its origin is the portal's host and path, fixed at creation."""
    log = Log.objects.filter(name=name).first()
    if log is None:
        parts = urlsplit(settings.SITE_URL)
        origin = f"{parts.netloc}{parts.path.rstrip('/')}/logg/{name}"
        log, _ = Log.objects.get_or_create(name=name, defaults={"origin": origin})
    return log


def private_digest(salt: bytes, value: str) -> str:
    """The digest of one private field: SHA-256(salt || UTF-8 value), hex."""
    return hashlib.sha256(salt + value.encode()).hexdigest()


def private_commitment(digests: dict[str, str]) -> str:
    """What the public entry holds: SHA-256 of the canonical JSON of the field digests, hex."""
    return hashlib.sha256(canonical_json(digests)).hexdigest()


def log_append(
    *,
    log: Log,
    entry: dict[str, object],
    private: dict[str, str] | None = None,
    purgeable: tuple[str, ...] = (),
) -> LogEntry:
    """Append one entry. Call inside the transaction that writes the record it describes.

    `entry` holds the public fields; the log adds `index` and, when `private` is given,
    `private_sha256` (a commitment to the private fields, each with its own random salt).
    """
    if "index" in entry or "private_sha256" in entry:
        raise ValueError("index and private_sha256 are set by the log")
    with transaction.atomic():
        log = Log.objects.select_for_update().get(pk=log.pk)
        last = LogEntry.objects.filter(log=log).order_by("-index").values("index").first()
        index = 0 if last is None else last["index"] + 1
        public = {**entry, "index": index}
        salts: dict[str, str] = {}
        digests: dict[str, str] = {}
        if private is not None:
            for field, value in private.items():
                salt = secrets.token_bytes(16)
                salts[field] = salt.hex()
                digests[field] = private_digest(salt, value)
            public["private_sha256"] = private_commitment(digests)
        data = canonical_json(public)
        row = LogEntry.objects.create(
            log=log, index=index, data=data.decode(), leaf_hash=leaf_hash(data).hex()
        )
        if private is not None:
            PrivateCommitment.objects.create(
                entry=row,
                digests=json.dumps(digests, sort_keys=True),
                salts=json.dumps({k: v for k, v in salts.items() if k not in purgeable}),
                purgeable_salts=json.dumps({k: v for k, v in salts.items() if k in purgeable}),
            )
        public_cache_bump()
        from .tasks import checkpoint_sign as task

        task.delay_on_commit(log.pk)
    return row


def checkpoint_sign(*, log_id: int) -> Checkpoint | None:
    """Sign a checkpoint of the log's current size, if none exists yet for this key.

    Refuses (LogForkError) when the stored entries are not an extension of the last signed
    checkpoint or a stored leaf hash does not match its entry: the key never signs a rewritten
    history, whatever was done to the rows.
    """
    from .selectors import checkpoint_latest, log_leaves

    log = Log.objects.get(pk=log_id)
    signer = log_signer()
    try:
        leaves = log_leaves(log, recompute=True)
    except ValueError as error:  # a gap, or an entry that does not match its hash
        logger.error("Log %s is damaged: %s", log.name, error)
        raise LogForkError(str(error)) from None
    size = len(leaves)
    previous = checkpoint_latest(log)
    if previous is not None:
        if previous.size > size or root_hash(leaves[: previous.size]).hex() != previous.root_hash:
            logger.error("Log %s does not extend its checkpoint %s", log.name, previous.size)
            raise LogForkError(f"log {log.name} does not extend checkpoint {previous.size}")
        if previous.size == size and previous.key_vkey == signer.vkey:
            return None
    root = root_hash(leaves)
    note = signer.sign(checkpoint_body(log.origin, size, root))
    try:
        with transaction.atomic():
            checkpoint = Checkpoint.objects.create(
                log=log, size=size, root_hash=root.hex(), note=note, key_vkey=signer.vkey
            )
    except IntegrityError:  # another worker signed the same size first
        return None
    public_cache_bump()
    return checkpoint


def checkpoints_sign_all() -> int:
    """Periodic safety net: sign every log that grew since its last checkpoint."""
    signed = 0
    for log_id in Log.objects.values_list("pk", flat=True):
        try:
            signed += checkpoint_sign(log_id=log_id) is not None
        except LogForkError:
            continue
    return signed


def commitment_purge(*, entry_ids: list[int]) -> int:
    """Forget the salts of purged fields (IP address, user agent); the digests stay."""
    return (
        PrivateCommitment.objects.filter(entry_id__in=entry_ids)
        .exclude(purgeable_salts="")
        .update(purgeable_salts="")
    )
