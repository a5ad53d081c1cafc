"""The review of an application: staff's decision or request for more information, and the
applicant's reply to such a request (in words, with a document, or both)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from lov_portal.audit.services import audit_record

from .. import signals, tasks
from ..models import (
    ApplicationDocumentRequest,
    ApplicationReview,
    OrganisationApplication,
    OrganisationStatus,
    ReviewAction,
)
from ..selectors import application_document_requested
from .documents import (
    document_check,
    document_kind,
    document_save,
    organisation_locked,
    uploaded_since,
)


def application_review(
    *,
    application: OrganisationApplication,
    reviewer: object,
    action: str,
    reason: str = "",
    requested_document: str = "",
) -> ApplicationReview:
    """A staff decision on an application; the applicant is e-mailed whatever it is. A request
    for more information may name a kind of document the applicant is to upload."""
    status = {
        ReviewAction.APPROVE: OrganisationStatus.APPROVED,
        ReviewAction.REJECT: OrganisationStatus.REJECTED,
        ReviewAction.REQUEST_INFO: OrganisationStatus.INFO_REQUESTED,
    }[ReviewAction(action)]
    if action != ReviewAction.APPROVE and not reason.strip():
        raise ValidationError(_("Skriv en motivering som sökanden kan förstå."), code="reason")
    if requested_document:
        if action != ReviewAction.REQUEST_INFO:
            raise ValidationError(
                _("Ett dokument kan bara begäras när du begär komplettering."), code="document"
            )
        requested_document = document_kind(requested_document, field="requested_document")
    now = timezone.now()
    with organisation_locked(application.organisation_id) as (organisation, _stored):
        organisation.status = status
        organisation.save(update_fields=["status", "updated_at"])
        if action != ReviewAction.REQUEST_INFO:
            application.decided_at = now
            application.save(update_fields=["decided_at"])
        review = ApplicationReview.objects.create(
            application=application,
            action=action,
            reason=reason.strip(),
            author=reviewer,
            created_at=now,
        )
        if requested_document:
            ApplicationDocumentRequest.objects.create(review=review, kind=requested_document)
        audit_record(
            actor=reviewer,
            action=(
                "organisation.application.approve"
                if action == ReviewAction.APPROVE
                else "organisation.application.reject"
                if action == ReviewAction.REJECT
                else "organisation.application.request_info"
            ),
            obj=organisation,
            data={"reason": reason.strip(), "requested_document": requested_document},
        )
    if application.applicant is not None:
        tasks.application_decided_notify.delay_on_commit(review.pk, get_language())
    return review


def application_reply(
    *,
    application: OrganisationApplication,
    author: object,
    message: str,
    upload: UploadedFile | None = None,
    kind: str = "",
) -> ApplicationReview:
    """The applicant answers a request for more information, in words, with a document, or
    both; back in the queue it goes and staff are told. A requested document must come with
    the reply unless one of its kind was uploaded after the request."""
    message = message.strip()
    if not message and upload is None:
        raise ValidationError(
            {"message": _("Skriv en komplettering eller bifoga ett dokument.")}, code="empty"
        )
    checked = document_check(upload) if upload is not None else None
    kind = document_kind(kind) if upload is not None else ""
    with organisation_locked(application.organisation_id) as (organisation, stored):
        if organisation.status != OrganisationStatus.INFO_REQUESTED:
            raise ValidationError(_("Ingen komplettering är begärd."), code="state")
        requested = application_document_requested(application=application)
        if requested and kind != requested.kind and not uploaded_since(requested):
            raise ValidationError(
                {
                    "file": _("Kansliet har begärt: %(kind)s. Bifoga det dokumentet.")
                    % {"kind": requested.get_kind_display()}
                },
                code="requested",
            )
        organisation.status = OrganisationStatus.APPLIED
        organisation.save(update_fields=["status", "updated_at"])
        review = ApplicationReview.objects.create(
            application=application,
            action=ReviewAction.APPLICANT_REPLY,
            reason=message,
            author=author,
        )
        document = None
        if upload is not None:
            document = document_save(
                application=application,
                kind=kind,
                upload=upload,
                checked=checked,
                uploaded_by=author,
                reply=review,
                stored=stored,
            )
        audit_record(
            actor=author,
            action="organisation.application.reply",
            obj=organisation,
            data={"review": review.pk, "document": document.pk if document else None},
        )
        signals.application_replied.send(sender=ApplicationReview, review=review)
    return review
