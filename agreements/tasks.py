"""Thin Celery wrappers around the agreement services."""

from __future__ import annotations

from lov_portal.celery import app
from lov_portal.core.celery_tasks import RETRY_OPTIONS, TransactionAwareTask


@app.task(name="lov.agreements.receipt_send", base=TransactionAwareTask, **RETRY_OPTIONS)
def signature_receipt_send(signature_id: int) -> bool:
    """Idempotent: running it twice for a signature sends the receipt once. A failed send
    raises, nothing is recorded, and the retry (RETRY_OPTIONS) sends."""
    from .receipts import receipt_send

    return receipt_send(signature_id=signature_id)
