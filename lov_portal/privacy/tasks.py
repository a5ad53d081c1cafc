"""Periodic privacy work (thin wrappers around services)."""

from __future__ import annotations

from lov_portal.celery import app
from lov_portal.core.celery_tasks import RETRY_OPTIONS, TransactionAwareTask

from .services import ip_addresses_purge_expired


@app.task(
    name="lov.privacy.purge_ip_addresses",
    base=TransactionAwareTask,
    acks_late=True,
    **RETRY_OPTIONS,
)
def purge_ip_addresses() -> dict[str, int]:
    """Remove IP addresses older than the retention period. Idempotent: a second run finds none."""
    return ip_addresses_purge_expired()
