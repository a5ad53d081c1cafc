from __future__ import annotations

import datetime

from django.db.models import QuerySet

from .models import AuditEvent


def audit_event_list(
    *,
    action: str = "",
    actor: str = "",
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
) -> QuerySet[AuditEvent]:
    events = AuditEvent.objects.select_related("actor")
    if action:
        events = events.filter(action=action)
    if actor:
        events = events.filter(actor__email__icontains=actor)
    if date_from:
        events = events.filter(created_at__date__gte=date_from)
    if date_to:
        events = events.filter(created_at__date__lte=date_to)
    return events


def audit_action_choices() -> list[str]:
    return list(AuditEvent.objects.order_by("action").values_list("action", flat=True).distinct())
