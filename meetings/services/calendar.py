"""The private calendar feed's secret address."""

from __future__ import annotations

import secrets

from ..models import CalendarToken


def calendar_token_get_or_create(*, user: object) -> CalendarToken:
    token, _created = CalendarToken.objects.get_or_create(
        user=user, defaults={"token": secrets.token_urlsafe(32)}
    )
    return token


def calendar_token_renew(*, user: object) -> CalendarToken:
    """A new secret; the old feed address stops working at once."""
    token, created = CalendarToken.objects.get_or_create(
        user=user, defaults={"token": secrets.token_urlsafe(32)}
    )
    if not created:
        token.token = secrets.token_urlsafe(32)
        token.save(update_fields=["token", "created_at"])
    return token
