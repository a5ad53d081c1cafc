"""What base.html needs from the reports on every page, computed only when it is used."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from .selectors import user_may_read_reports


def reports(request: HttpRequest) -> dict:
    """`may_read_reports` for the "Uppföljningsrapporter" link (staff and the cooperation
    group's current members): lazy, and base.html asks only for logged-in users; no query for
    staff, one EXISTS query for anyone else."""
    user = getattr(request, "user", None)
    return {"may_read_reports": SimpleLazyObject(lambda: user_may_read_reports(user))}
