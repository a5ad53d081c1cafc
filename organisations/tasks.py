"""Thin Celery wrappers: the organisation e-mails, sent from a worker after the commit.

Each task takes the primary key of the row the e-mail is about and the language the request
was in, and finds its recipients when it runs. A retry sends the same Message-ID again."""

from __future__ import annotations

from lov_portal.celery import app
from lov_portal.core.celery_tasks import RETRY_OPTIONS, TransactionAwareTask

from . import mails


@app.task(
    name="lov.organisations.application_received_notify",
    base=TransactionAwareTask,
    **RETRY_OPTIONS,
)
def application_received_notify(organisation_id: int, language: str = "sv") -> int:
    return mails.application_received_send(organisation_id=organisation_id, language=language)


@app.task(
    name="lov.organisations.application_decided_notify",
    base=TransactionAwareTask,
    **RETRY_OPTIONS,
)
def application_decided_notify(review_id: int, language: str = "sv") -> int:
    return mails.application_decided_send(review_id=review_id, language=language)


@app.task(
    name="lov.organisations.membership_requested_notify",
    base=TransactionAwareTask,
    **RETRY_OPTIONS,
)
def membership_requested_notify(membership_request_id: int, language: str = "sv") -> int:
    return mails.membership_requested_send(
        membership_request_id=membership_request_id, language=language
    )


@app.task(name="lov.organisations.invitation_send", base=TransactionAwareTask, **RETRY_OPTIONS)
def invitation_send(invitation_id: int, language: str = "sv") -> int:
    return mails.invitation_send(invitation_id=invitation_id, language=language)
