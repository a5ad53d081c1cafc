"""Thin Celery wrappers around the meeting services."""

from __future__ import annotations

from lov_portal.celery import app
from lov_portal.core.celery_tasks import RETRY_OPTIONS, TransactionAwareTask

from . import services


@app.task(
    name="lov.meetings.minutes_pdf_store",
    base=TransactionAwareTask,
    soft_time_limit=300,
    time_limit=360,
    **RETRY_OPTIONS,
)
def minutes_pdf_store(revision_id: int) -> list[str]:
    """Render and store a published revision's PDF in every language (idempotent)."""
    return [pdf.sha256 for pdf in services.minutes_pdfs_store(revision_id=revision_id)]
