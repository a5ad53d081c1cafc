"""The canonical form of an agreement's text, whose SHA-256 identifies what was signed."""

import hashlib
import unicodedata


def canonical_text(text: str) -> str:
    """NFC-normalised, Unix line endings, no trailing spaces, no leading or trailing blank lines.

    Two texts that differ only in ways a reader cannot see get the same hash.
    """
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    lines = [line.rstrip() for line in text.split("\n")]
    return "\n".join(lines).strip("\n")


def text_sha256(text: str) -> str:
    return hashlib.sha256(canonical_text(text).encode("utf-8")).hexdigest()
