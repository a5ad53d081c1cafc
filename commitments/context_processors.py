"""What base.html needs from commitments on every page, computed only when it is used."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from .selectors import user_owns_commitments


def commitments(request: HttpRequest) -> dict:
    """`owns_commitments` for the "Mina åtaganden" link: lazy, so a page whose template never
    asks (or an anonymous visitor, since base.html asks only for logged-in users) runs no query;
    evaluated, it is one EXISTS query."""
    user = getattr(request, "user", None)
    return {
        "owns_commitments": SimpleLazyObject(lambda: user_owns_commitments(user=user)),
    }
