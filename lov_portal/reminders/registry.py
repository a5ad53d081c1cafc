"""The reminder kinds: each a rule (a function of `now` returning what is due) and a message.

A new reminder (minutes awaiting approval, actions due, applications waiting) is one
`ReminderKind(...)` in the module of `kinds/` for the app it concerns, registered in
`kinds/__init__.py`; the scheduler, the sender and the preferences
page pick it up from here.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from django.db import models


class Due(NamedTuple):
    """A reminder a rule found due: about `target`, to user `recipient_id`, due on `due_on`."""

    target: models.Model
    recipient_id: int
    due_on: datetime.date


def quoted(text: str) -> str:
    """What a person wrote, for an e-mail's text: every line begins with "> ", so none of it
    can pass for the message's own lines (a forged link or instruction). Empty: "–"."""
    lines = (text or "").strip().splitlines()
    return "\n".join(f"> {line}".rstrip() for line in lines) if lines else "–"


class Message(NamedTuple):
    """A kind's e-mail: its subject and the context of its body, the template
    `reminders/email/<key>.txt` (the HTML alternative is made from the same text)."""

    subject: str
    context: dict[str, Any]
    attachments: tuple[tuple[str, bytes, str], ...] = ()


@dataclass(frozen=True)
class ReminderKind:
    key: str
    label: Any  # lazy translation: the name on the preferences page
    reason: Any  # lazy translation: "you get this because ..."
    rule: Callable[[datetime.datetime], Iterable[Due]]
    message: Callable[[models.Model, datetime.date], Message]
    # Who may see the kind on the preferences page.
    applies_to: Callable[[Any], bool] = field(default=lambda user: True)
    # Whose role requires the reminder: they cannot switch it off.
    required_for: Callable[[Any], bool] = field(default=lambda user: False)


KINDS: dict[str, ReminderKind] = {}


def register(kind: ReminderKind) -> ReminderKind:
    if kind.key in KINDS:
        raise ValueError(f"Reminder kind {kind.key!r} is registered twice.")
    KINDS[kind.key] = kind
    return kind


def kind_get(key: str) -> ReminderKind:
    return KINDS[key]
