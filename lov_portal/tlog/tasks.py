"""Thin Celery wrappers around the log services."""

from __future__ import annotations

from lov_portal.celery import app
from lov_portal.core.celery_tasks import RETRY_OPTIONS, TransactionAwareTask

from . import services


@app.task(name="lov.tlog.checkpoint_sign", base=TransactionAwareTask, **RETRY_OPTIONS)
def checkpoint_sign(log_id: int) -> bool:
    """Sign a checkpoint of the log's current size (idempotent)."""
    return services.checkpoint_sign(log_id=log_id) is not None


@app.task(name="lov.tlog.checkpoints_sign_all", base=TransactionAwareTask, **RETRY_OPTIONS)
def checkpoints_sign_all() -> int:
    """Sign every log that has grown since its last checkpoint."""
    return services.checkpoints_sign_all()
