"""E-mail helpers shared by every app."""

from __future__ import annotations

from .http import site_host


def stable_message_id(kind: str, key: object) -> str:
    """A Message-ID that is the same every time the same message is sent.

    Delivery is "exactly once" up to one window no SMTP transaction can close: the server has
    accepted the mail, and the worker dies before it records that. The retry then sends the
    same message again, with the same Message-ID, which mail systems use to recognise it as a
    copy of one they already have (docs/decisions.md, reminders)."""
    host = site_host() or "lov-portal.invalid"
    return f"<lov-{kind}-{key}@{host}>"
