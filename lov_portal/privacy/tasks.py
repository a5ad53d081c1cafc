"""Periodic privacy work (thin wrappers around services)."""

from __future__ import annotations

from celery import shared_task

from .services import ip_addresses_purge_expired


@shared_task(name="lov.privacy.purge_ip_addresses", acks_late=True)
def purge_ip_addresses() -> dict[str, int]:
    """Remove IP addresses older than the retention period. Idempotent: a second run finds none."""
    return ip_addresses_purge_expired()
