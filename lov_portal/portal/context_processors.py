"""What base.html's work menu needs, computed only when it is used."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from .nav import nav_facts


def nav(request: HttpRequest) -> dict:
    """`todo_count` (the "Att göra" badge), `owns_commitments` (the "Mina åtaganden" link) and
    `may_read_reports` (the "Uppföljningsrapporter" link): lazy, so anonymous visitors
    (base.html asks only for logged-in users) cost nothing; evaluated, one cache round trip for
    all three while they are current (lov_portal.portal.nav)."""
    user = getattr(request, "user", None)
    facts = SimpleLazyObject(lambda: nav_facts(user=user))
    return {
        name: SimpleLazyObject(lambda name=name: facts[name])
        for name in ("todo_count", "owns_commitments", "may_read_reports")
    }
