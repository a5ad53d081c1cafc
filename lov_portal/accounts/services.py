"""Writes to a person's own account."""

from __future__ import annotations

from .models import User

LANGUAGES = ("sv", "en")


def account_details_update(*, user: User, full_name: str, preferred_language: str) -> User:
    if preferred_language not in LANGUAGES:
        raise ValueError(preferred_language)
    user.full_name = full_name.strip()
    user.preferred_language = preferred_language
    user.save(update_fields=["full_name", "preferred_language"])
    return user


def language_of(code: str | None) -> str:
    """The portal language (sv or en) for a request's language code."""
    return "en" if (code or "").startswith("en") else "sv"
