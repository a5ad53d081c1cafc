"""Reads of the reminders app."""

from __future__ import annotations

from dataclasses import dataclass

from lov_portal.accounts.models import User

from .models import ReminderOptOut
from .registry import KINDS


@dataclass(frozen=True)
class PreferenceRow:
    key: str
    label: str
    reason: str
    enabled: bool
    required: bool


def reminder_preferences(*, user: User) -> list[PreferenceRow]:
    """The kinds meant for `user`, whether each is on, and whether the role requires it."""
    off = set(ReminderOptOut.objects.filter(user=user).values_list("kind", flat=True))
    rows = []
    for key, kind in KINDS.items():
        if not kind.applies_to(user):
            continue
        required = kind.required_for(user)
        rows.append(
            PreferenceRow(
                key=key,
                label=str(kind.label),
                reason=str(kind.reason),
                enabled=required or key not in off,
                required=required,
            )
        )
    return rows
