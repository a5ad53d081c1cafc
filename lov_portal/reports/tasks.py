"""Thin Celery wrappers around the report services."""

from __future__ import annotations

from celery.signals import worker_init, worker_process_init

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


@worker_init.connect
@worker_process_init.connect
def warm_up_pdf_engine(**kwargs: object) -> None:
    """A worker loads WeasyPrint when it starts (services.pdf_engine_warm_up): the main process
    (what the solo and threads pools use; prefork children inherit it) and each prefork child."""
    services.pdf_engine_warm_up()
