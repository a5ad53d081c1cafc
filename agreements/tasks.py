"""Thin Celery wrappers around the agreement services."""

from __future__ import annotations

from celery import shared_task


@shared_task
def signature_receipt_send(signature_id: int) -> bool:
    """Idempotent: running it twice for a signature sends the receipt once."""
    from .receipts import receipt_send

    return receipt_send(signature_id=signature_id)
