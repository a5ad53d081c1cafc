#!/usr/bin/env python3
"""Check LÖV-portalen's public register log without trusting the server.

    python tools/lov_verify.py BASE_URL [--log SLUG] [--checkpoint FILE]
                               [--save-checkpoint FILE] [--key VKEY]

Needs Python 3.11+ and the `cryptography` package only. It downloads every entry of the log,
recomputes each leaf hash and the Merkle tree (RFC 9162 section 2.1), checks the latest
checkpoint (C2SP tlog-checkpoint, signed as a C2SP signed-note with Ed25519) against the
verifier key, and with --checkpoint checks that the log now served is an append-only extension
of a checkpoint saved earlier (a consistency proof, and the recomputed tree). Each entry is
also checked for form: canonical JSON, the index it claims, and that every signature and
withdrawal points at entries that exist before it.

Pass --key with the verifier key you obtained independently (printed in the annual report,
published by the region); without it the key the server serves is used, which only proves
that the server is consistent with itself.

Longer than 400 lines on purpose: a single file an outsider downloads, reads and runs alone,
with nothing of the portal imported (its SHA-256 is published on "Så kontrollerar du
registret").

Exit status: 0 when everything holds (one summary line), 1 naming the first entry or
checkpoint that does not, 2 for a usage or network error.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import sys
import urllib.error
import urllib.parse
import urllib.request

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

ALG_ED25519 = 0x01
MAX_RESPONSE = 32 * 1024 * 1024  # a hostile server may not make us read forever
PAGE = 1000
TIMEOUT = 30


class VerificationError(Exception):
    """Something the server published does not hold."""


# --- RFC 9162 section 2.1 -----------------------------------------------------------------


def leaf_hash(entry: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + entry).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def root_hash(leaves: list[bytes]) -> bytes:
    """MTH of a list of leaf hashes, iteratively (no recursion depth limit)."""
    if not leaves:
        return hashlib.sha256(b"").digest()
    # Fold complete subtrees left to right, as RFC 9162 splits at the largest power of two.
    stack: list[tuple[int, bytes]] = []  # (height, hash)
    for leaf in leaves:
        height, value = 0, leaf
        while stack and stack[-1][0] == height:
            _, left = stack.pop()
            value = node_hash(left, value)
            height += 1
        stack.append((height, value))
    value = stack.pop()[1]
    while stack:
        value = node_hash(stack.pop()[1], value)
    return value


def verify_inclusion(index: int, size: int, leaf: bytes, proof: list[bytes], root: bytes) -> bool:
    """RFC 9162 section 2.1.3.2."""
    if not 0 <= index < size:
        return False
    fn, sn, r = index, size - 1, leaf
    for p in proof:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == root


def verify_consistency(
    first: int, second: int, first_root: bytes, second_root: bytes, proof: list[bytes]
) -> bool:
    """RFC 9162 section 2.1.4.2."""
    if not 0 <= first <= second:
        return False
    if first == second:
        return not proof and first_root == second_root
    if first == 0:
        return not proof
    if not proof:
        return False
    if first & (first - 1) == 0:  # a power of two: the first root is the first node
        proof = [first_root, *proof]
    fn, sn = first - 1, second - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = proof[0]
    for c in proof[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            if not fn & 1:
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    return fr == first_root and sr == second_root and sn == 0


# --- C2SP signed-note and tlog-checkpoint -------------------------------------------------


def key_id(name: str, key: bytes) -> bytes:
    """The 4-byte key hash: SHA-256(name || 0x0A || alg || key)[:4]."""
    return hashlib.sha256(name.encode() + b"\n" + bytes([ALG_ED25519]) + key).digest()[:4]


def valid_key_name(name: str) -> bool:
    return bool(name) and all(c not in "+ \n\t" and c.isprintable() for c in name)


def parse_vkey(vkey: str) -> tuple[str, bytes, Ed25519PublicKey]:
    """`name+hexid+base64(alg||key)` -> (name, key id, public key)."""
    try:
        name, hex_id, b64 = vkey.strip().split("+", 2)
        raw = base64.b64decode(b64, validate=True)
        kid = bytes.fromhex(hex_id)
    except ValueError as error:
        raise VerificationError(f"malformed verifier key: {error}") from None
    if not valid_key_name(name) or len(kid) != 4 or len(raw) != 33 or raw[0] != ALG_ED25519:
        raise VerificationError("malformed verifier key (name, id or Ed25519 key)")
    if key_id(name, raw[1:]) != kid:
        raise VerificationError("verifier key id does not match its name and key")
    return name, kid, Ed25519PublicKey.from_public_bytes(raw[1:])


def split_note(note: str) -> tuple[str, list[tuple[str, bytes]]]:
    """A signed note -> (text, [(key name, signature blob)]). Strict: any oddity is an error."""
    if "\r" in note or not note.endswith("\n"):
        raise VerificationError("signed note: must use LF line endings and end with one")
    text, sep, sigs = note.rpartition("\n\n")
    if not sep or not text:
        raise VerificationError("signed note: no blank line before the signatures")
    text += "\n"
    signatures = []
    for line in sigs.rstrip("\n").split("\n"):
        if not line.startswith("\u2014 "):
            raise VerificationError(f"signed note: malformed signature line {line[:60]!r}")
        parts = line[2:].split(" ")
        if len(parts) != 2 or not valid_key_name(parts[0]):
            raise VerificationError(f"signed note: malformed signature line {line[:60]!r}")
        try:
            blob = base64.b64decode(parts[1], validate=True)
        except ValueError:
            raise VerificationError("signed note: signature is not base64") from None
        if len(blob) < 5:
            raise VerificationError("signed note: signature too short")
        signatures.append((parts[0], blob))
    return text, signatures


def verify_note(note: str, vkeys: list[str]) -> str:
    """Return the note's text if one of the keys signed it, else raise."""
    text, signatures = split_note(note)
    keys = [parse_vkey(v) for v in vkeys]
    for name, blob in signatures:
        for key_name, kid, public in keys:
            if name == key_name and blob[:4] == kid:
                try:
                    public.verify(blob[4:], text.encode())
                except InvalidSignature:
                    raise VerificationError(f"checkpoint signature by {name} is invalid") from None
                return text
    raise VerificationError("checkpoint is not signed by the expected key")


def parse_checkpoint(text: str) -> tuple[str, int, bytes]:
    """tlog-checkpoint body -> (origin, size, root hash)."""
    lines = text.split("\n")
    if len(lines) < 4 or lines[-1] != "":
        raise VerificationError("checkpoint: fewer than three lines")
    origin, size_s, root_b64 = lines[0], lines[1], lines[2]
    if not origin or not size_s.isascii() or not size_s.isdigit():
        raise VerificationError("checkpoint: malformed origin or size")
    if size_s != str(int(size_s)):
        raise VerificationError("checkpoint: size has leading zeros")
    try:
        root = base64.b64decode(root_b64, validate=True)
    except ValueError:
        raise VerificationError("checkpoint: root hash is not base64") from None
    if len(root) != 32:
        raise VerificationError("checkpoint: root hash is not 32 bytes")
    return origin, int(size_s), root


# --- entries ------------------------------------------------------------------------------


def canonical_json(value: object) -> bytes:
    """Keys sorted, no whitespace, UTF-8 (not \\u escapes), integers and strings only."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def check_entry(index: int, data: bytes, seen: dict[int, dict]) -> dict:
    """Form checks on one published entry; `seen` maps earlier indexes to their entries."""
    try:
        entry = json.loads(data)
    except ValueError:
        raise VerificationError(f"entry {index}: not JSON") from None
    if not isinstance(entry, dict) or canonical_json(entry) != data:
        raise VerificationError(f"entry {index}: not in canonical form")
    if entry.get("index") != index:
        raise VerificationError(f"entry {index}: claims index {entry.get('index')!r}")
    kind = entry.get("type")
    if kind not in {"version", "signature", "withdrawal"}:
        raise VerificationError(f"entry {index}: unknown type {kind!r}")
    for field in ("version_entry", "signature_entry"):
        if field in entry:
            ref = entry[field]
            if not isinstance(ref, int) or ref not in seen:
                raise VerificationError(f"entry {index}: {field} points at no earlier entry")
            wanted = "version" if field == "version_entry" else "signature"
            if seen[ref].get("type") != wanted:
                raise VerificationError(f"entry {index}: {field} is not a {wanted} entry")
    if kind == "withdrawal":
        ref = entry.get("signature_entry")
        if ref is None:
            raise VerificationError(f"entry {index}: withdrawal without signature_entry")
        if any(
            e.get("type") == "withdrawal" and e.get("signature_entry") == ref for e in seen.values()
        ):
            raise VerificationError(f"entry {index}: signature {ref} withdrawn twice")
    return entry


# --- fetching -----------------------------------------------------------------------------


class Server:
    def __init__(self, base_url: str, log: str | None) -> None:
        parsed = urllib.parse.urlsplit(base_url)
        if parsed.scheme not in ("http", "https") or not parsed.netloc:
            raise ValueError("BASE_URL must be an http(s) URL")
        self.base = base_url.rstrip("/") + ("/logg/" + urllib.parse.quote(log) if log else "/logg")

    def get(self, path: str, params: dict[str, int] | None = None) -> bytes:
        url = self.base + path + ("?" + urllib.parse.urlencode(params) if params else "")
        request = urllib.request.Request(url, headers={"User-Agent": "lov_verify/1"})  # noqa: S310
        # The scheme is http(s) only, checked in __init__.
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310  # nosec B310
            body = response.read(MAX_RESPONSE + 1)
        if len(body) > MAX_RESPONSE:
            raise VerificationError(f"{path}: response larger than {MAX_RESPONSE} bytes")
        return body

    def get_json(self, path: str, params: dict[str, int] | None = None) -> dict:
        try:
            value = json.loads(self.get(path, params))
        except ValueError:
            raise VerificationError(f"{path}: not JSON") from None
        if not isinstance(value, dict):
            raise VerificationError(f"{path}: not a JSON object")
        return value

    def entries(self, size: int) -> list[bytes]:
        found: list[bytes] = []
        while len(found) < size:
            page = self.get_json("/entries", {"start": len(found), "limit": PAGE})
            items = page.get("entries")
            if not isinstance(items, list) or not items:
                raise VerificationError(f"entries: none served from index {len(found)}")
            for item in items:
                if not isinstance(item, dict) or item.get("index") != len(found):
                    raise VerificationError(f"entries: index {len(found)} missing or out of order")
                data = item.get("data")
                if not isinstance(data, str):
                    raise VerificationError(f"entry {len(found)}: no data")
                found.append(data.encode())
                if len(found) == size:
                    break
        return found


def b64list(values: object, what: str) -> list[bytes]:
    if not isinstance(values, list) or len(values) > 64:
        raise VerificationError(f"{what}: malformed proof")
    try:
        out = [base64.b64decode(v, validate=True) for v in values]
    except (ValueError, TypeError):
        raise VerificationError(f"{what}: proof is not base64") from None
    if any(len(v) != 32 for v in out):
        raise VerificationError(f"{what}: proof hash is not 32 bytes")
    return out


def check_register(server: Server, seen: dict[int, dict], size: int) -> None:
    """The register the server shows now (rows recomputed into entry form) must say exactly
    what the log says: nothing changed, moved, added or removed behind the log's back; and each
    published version's text must have the SHA-256 its entry holds."""
    records = server.get_json("/register.json").get("records")
    if not isinstance(records, list):
        raise VerificationError("register.json: no records")
    shown: set[int] = set()
    for record in records:
        if not isinstance(record, dict):
            raise VerificationError("register.json: malformed record")
        index = record.get("entry")
        if index is None:
            raise VerificationError(
                f"register: a {str(record.get('record', 'record'))[:60]} is not in the log"
            )
        if not isinstance(index, int) or index < 0:
            raise VerificationError("register.json: malformed entry index")
        if index >= size:
            continue  # appended after the checkpoint: the next one covers it
        if index in shown:
            raise VerificationError(f"entry {index}: two records claim it")
        shown.add(index)
        logged = {k: v for k, v in seen[index].items() if k not in ("index", "private_sha256")}
        fields = record.get("fields")
        if fields != logged:
            fields = fields if isinstance(fields, dict) else {}
            changed = sorted(k for k in {*fields, *logged} if fields.get(k) != logged.get(k))
            raise VerificationError(
                f"entry {index}: the register now differs from the log ({', '.join(changed)})"
            )
    for index in range(size):
        if index not in shown:
            raise VerificationError(f"entry {index}: the register no longer shows it")
    for index, entry in seen.items():
        if entry.get("type") == "version":
            number = entry.get("version")
            if not isinstance(number, int):
                raise VerificationError(f"entry {index}: malformed version number")
            text = server.get(f"/text/{number}")
            if hashlib.sha256(text).hexdigest() != entry.get("text_sha256"):
                raise VerificationError(
                    f"entry {index}: the text of version {number} served now "
                    "is not the text that was published"
                )


def verify_log(server: Server, vkeys: list[str], saved: str | None) -> tuple[str, int, bytes, str]:
    note = server.get("/checkpoint").decode("utf-8", "strict")
    text = verify_note(note, vkeys)
    origin, size, root = parse_checkpoint(text)
    entries = server.entries(size)
    seen: dict[int, dict] = {}
    leaves = []
    for index, data in enumerate(entries):
        seen[index] = check_entry(index, data, seen)
        leaves.append(leaf_hash(data))
    if root_hash(leaves) != root:
        raise VerificationError(
            f"checkpoint {size}: the root of the {size} entries served is not the signed root"
        )
    check_register(server, seen, size)
    if saved is not None:
        old_text = verify_note(saved, vkeys)
        old_origin, old_size, old_root = parse_checkpoint(old_text)
        if old_origin != origin:
            raise VerificationError(f"saved checkpoint is for another log ({old_origin})")
        if old_size > size:
            raise VerificationError(
                f"saved checkpoint {old_size}: the log has shrunk to {size} entries"
            )
        if root_hash(leaves[:old_size]) != old_root:
            raise VerificationError(
                f"saved checkpoint {old_size}: the first {old_size} entries served now do not "
                "give its root (the log was rewritten)"
            )
        if 0 < old_size < size:
            proof = server.get_json("/proof/consistency", {"from": old_size, "to": size})
            if not verify_consistency(
                old_size, size, old_root, root, b64list(proof.get("proof"), "consistency")
            ):
                raise VerificationError(
                    f"saved checkpoint {old_size}: the consistency proof to {size} fails"
                )
    return origin, size, root, note


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("base_url", metavar="BASE_URL")
    parser.add_argument("--log", help="the agreement's log (default: the portal's main log)")
    parser.add_argument("--checkpoint", help="a checkpoint saved earlier: must still hold")
    parser.add_argument("--save-checkpoint", help="write the verified checkpoint to this file")
    parser.add_argument("--key", help="the verifier key (vkey) to trust")
    args = parser.parse_args(argv)
    try:
        server = Server(args.base_url, args.log)
        vkeys = [args.key] if args.key else [server.get("/vkey").decode().strip()]
        saved = None
        if args.checkpoint:
            with open(args.checkpoint, encoding="utf-8", newline="") as f:
                saved = f.read()
        origin, size, root, note = verify_log(server, vkeys, saved)
    except VerificationError as error:
        print(f"FAIL: {error}")
        return 1
    except (OSError, ValueError, urllib.error.URLError) as error:
        print(f"ERROR: {error}", file=sys.stderr)
        return 2
    if args.save_checkpoint:
        with open(args.save_checkpoint, "w", encoding="utf-8", newline="") as f:
            f.write(note)
    extension = " (an append-only extension of the saved checkpoint)" if saved else ""
    print(f"OK: {origin}: {size} entries, root {root.hex()}, signature valid{extension}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
