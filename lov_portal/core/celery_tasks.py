"""Helpers every Celery task of the portal uses.

Tasks take primary keys, are enqueued only after the surrounding transaction commits (so a
worker never looks for a row that is not there yet, and a rolled-back decision sends nothing),
and retry with backoff on temporary failures.
"""

from __future__ import annotations

import logging
import smtplib
from typing import Any

from celery import Task
from django.db import OperationalError, transaction
from kombu.exceptions import OperationalError as BrokerOperationalError

logger = logging.getLogger(__name__)

# Failures worth another try: the mail server, the database and the network come back.
TEMPORARY_FAILURES: tuple[type[BaseException], ...] = (
    smtplib.SMTPException,
    OperationalError,
    ConnectionError,
    TimeoutError,
)

RETRY_OPTIONS: dict[str, Any] = {
    "autoretry_for": TEMPORARY_FAILURES,
    "retry_backoff": 5,
    "retry_backoff_max": 600,
    "retry_jitter": True,
    "max_retries": 5,
}

# Publishing gives up quickly when the broker is down: the rows the task would work on stay in
# the database and the next periodic run picks them up.
PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.5}


class TransactionAwareTask(Task):
    """A task whose `delay_on_commit` enqueues only after the current transaction commits.

    If the broker cannot be reached the failure is logged, not raised: the caller's work is
    already committed and a periodic task finishes it later.
    """

    abstract = True

    def delay_on_commit(self, *args: Any, **kwargs: Any) -> None:
        transaction.on_commit(lambda: self.enqueue(*args, **kwargs))

    def enqueue(self, *args: Any, **kwargs: Any) -> bool:
        try:
            self.apply_async(args=args, kwargs=kwargs, retry_policy=PUBLISH_RETRY_POLICY)
        except (BrokerOperationalError, ConnectionError, OSError) as error:
            logger.warning(
                "Could not enqueue %s (%s); a periodic run will catch up.", self.name, error
            )
            return False
        return True
