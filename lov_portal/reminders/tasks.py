"""Thin Celery wrappers around the reminder services."""

from __future__ import annotations

from django.utils import timezone

from lov_portal.celery import app
from lov_portal.core.celery_tasks import RETRY_OPTIONS, TransactionAwareTask

from . import services


@app.task(name="lov.reminders.schedule", base=TransactionAwareTask, **RETRY_OPTIONS)
def schedule(kinds: list[str] | None = None) -> int:
    """Decide which reminders (of `kinds`, or all) are due now and write their rows."""
    return services.reminders_schedule(now=timezone.now(), kinds=kinds)


@app.task(name="lov.reminders.send_pending", base=TransactionAwareTask, **RETRY_OPTIONS)
def send_pending() -> int:
    """Send every pending reminder (also those a dead worker left behind)."""
    return services.reminders_send_pending()
