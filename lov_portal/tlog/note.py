"""C2SP signed-note signing with Ed25519, and the C2SP tlog-checkpoint body.

Keys use the Go `golang.org/x/mod/sumdb/note` encodings, so Go's tools read them:
signer key `PRIVATE+KEY+<name>+<hex id>+<base64(0x01 || seed)>`, verifier key
`<name>+<hex id>+<base64(0x01 || public key)>`. Verification lives in tools/lov_verify.py.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from tools.lov_verify import ALG_ED25519, key_id, valid_key_name


class SignerKeyError(ValueError):
    """A signer key that cannot be used."""


@dataclass(frozen=True)
class Signer:
    name: str
    private: Ed25519PrivateKey

    @property
    def public_bytes(self) -> bytes:
        return self.private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)

    @property
    def key_id(self) -> bytes:
        return key_id(self.name, self.public_bytes)

    @property
    def vkey(self) -> str:
        raw = bytes([ALG_ED25519]) + self.public_bytes
        return f"{self.name}+{self.key_id.hex()}+{base64.b64encode(raw).decode()}"

    @property
    def skey(self) -> str:
        seed = self.private.private_bytes_raw()
        raw = base64.b64encode(bytes([ALG_ED25519]) + seed).decode()
        return f"PRIVATE+KEY+{self.name}+{self.key_id.hex()}+{raw}"

    def sign(self, text: str) -> str:
        """The signed note: text, a blank line, one signature line."""
        if not text.endswith("\n") or "\r" in text:
            raise ValueError("a note's text ends with a newline and has no CR")
        blob = self.key_id + self.private.sign(text.encode())
        return f"{text}\n\u2014 {self.name} {base64.b64encode(blob).decode()}\n"


def signer_from_skey(skey: str) -> Signer:
    try:
        prefix, kind, name, hex_id, b64 = skey.strip().split("+", 4)
        raw = base64.b64decode(b64, validate=True)
    except ValueError:
        raise SignerKeyError("malformed signer key") from None
    if (prefix, kind) != ("PRIVATE", "KEY") or len(raw) != 33 or raw[0] != ALG_ED25519:
        raise SignerKeyError("not an Ed25519 signer key")
    if not valid_key_name(name):
        raise SignerKeyError("invalid key name")
    signer = Signer(name, Ed25519PrivateKey.from_private_bytes(raw[1:]))
    if signer.key_id.hex() != hex_id:
        raise SignerKeyError("the key id does not match the key")
    return signer


def signer_generate(name: str) -> Signer:
    if not valid_key_name(name):
        raise SignerKeyError("invalid key name")
    return Signer(name, Ed25519PrivateKey.generate())


def checkpoint_body(origin: str, size: int, root: bytes) -> str:
    """C2SP tlog-checkpoint: origin, decimal size, base64 root hash, each on its own line."""
    return f"{origin}\n{size}\n{base64.b64encode(root).decode()}\n"
