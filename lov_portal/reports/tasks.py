"""Thin Celery wrappers around the report services."""

from __future__ import annotations

from lov_portal.celery import app
from lov_portal.core.celery_tasks import RETRY_OPTIONS, TransactionAwareTask

from . import services


@app.task(
    name="lov.reports.render",
    base=TransactionAwareTask,
    soft_time_limit=300,
    time_limit=360,
    **RETRY_OPTIONS,
)
def render_edition(edition_id: int) -> str:
    return services.report_edition_render(edition_id=edition_id).status
