"""Writing to the audit log. Call `audit_record` from every service that does something the
cooperation group or staff must be able to account for (docs/security.md lists them)."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.http import HttpRequest

from lov_portal.core.http import client_ip

from .models import AuditEvent


def audit_record(
    *,
    actor: Any,
    action: str,
    obj: models.Model | None = None,
    data: dict[str, Any] | None = None,
    request: HttpRequest | None = None,
) -> AuditEvent:
    event = AuditEvent(
        actor=actor if actor is not None and getattr(actor, "is_authenticated", False) else None,
        action=action,
        data=data or {},
    )
    if obj is not None:
        event.object_type = obj._meta.label_lower
        event.object_id = str(obj.pk)
        event.object_repr = str(obj)[:200]
    if request is not None:
        event.ip_address = client_ip(request)
        event.user_agent = request.META.get("HTTP_USER_AGENT", "")[:500]
    event.save()
    return event
