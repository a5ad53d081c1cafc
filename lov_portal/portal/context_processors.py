"""What base.html needs for the "Att göra" link, computed only when it is used."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from .todo import todo_count


def todo(request: HttpRequest) -> dict:
    """`todo_count`: lazy, so anonymous visitors (base.html asks only for logged-in users) run
    no query; evaluated, it is one query."""
    user = getattr(request, "user", None)
    return {"todo_count": SimpleLazyObject(lambda: todo_count(user=user))}
