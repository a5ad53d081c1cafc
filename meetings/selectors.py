"""Reads of the cooperation group and its meetings."""

from __future__ import annotations

import datetime

from django.utils import timezone

from agreements.models import Agreement

from .models import Meeting


def meeting_next(*, agreement: Agreement, now: datetime.datetime | None = None) -> Meeting | None:
    return (
        Meeting.objects.filter(group__agreement=agreement, starts_at__gte=now or timezone.now())
        .order_by("starts_at")
        .first()
    )
