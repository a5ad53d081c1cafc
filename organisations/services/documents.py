"""Documents in the application: attaching them until the decision and taking one back; the
checks and the file handling here are shared with the applicant's reply (`review`)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from lov_portal.audit.services import audit_record
from lov_portal.core.uploads import CheckedUpload, download_name

from ..models import (
    APPLICATION_DOCUMENT_POLICY,
    ApplicationDocument,
    ApplicationDocumentKind,
    ApplicationDocumentRequest,
    ApplicationReview,
    Organisation,
    OrganisationApplication,
    OrganisationStatus,
)
from ..selectors import sent_before_a_reply

UNDECIDED = {OrganisationStatus.APPLIED, OrganisationStatus.INFO_REQUESTED}


def document_kind(kind: str, *, field: str = "kind") -> str:
    if kind not in ApplicationDocumentKind.values:
        raise ValidationError({field: _("Välj vilken sorts dokument det är.")}, code="kind")
    return kind


def document_check(upload: UploadedFile) -> CheckedUpload:
    """The one upload policy, before anything is written: a refused file saves nothing."""
    try:
        return APPLICATION_DOCUMENT_POLICY.check(upload)
    except ValidationError as error:
        raise ValidationError({"file": error.error_list}) from None


def document_save(
    *,
    application: OrganisationApplication,
    kind: str,
    upload: UploadedFile,
    checked: CheckedUpload,
    uploaded_by: object,
    reply: ApplicationReview | None,
    stored: list[str],
) -> ApplicationDocument:
    document = ApplicationDocument(
        application=application,
        kind=kind,
        original_name=download_name(upload.name or "", extension=checked.extension),
        content_type=checked.content_type,
        size=checked.size,
        uploaded_by=uploaded_by,
        reply=reply,
    )
    # The stored name is generated (private_upload_to); only the checked extension is kept.
    document.file.save(f"upload.{checked.extension}", upload, save=False)
    stored.append(document.file.name)
    document.save()
    return document


def files_forget(names: list[str]) -> None:
    """Files written by a transaction that did not commit: nothing may be left half-saved."""
    from django.core.files.storage import default_storage

    for name in names:
        default_storage.delete(name)


@contextmanager
def organisation_locked(organisation_id: int) -> Iterator[tuple[Organisation, list[str]]]:
    """A transaction with the applying organisation's row locked (its status says what may
    still change), and a list for the names of the files written in it: those are deleted
    again if the transaction does not commit, so nothing is left half-saved."""
    stored: list[str] = []
    try:
        with transaction.atomic():
            yield Organisation.objects.select_for_update().get(pk=organisation_id), stored
    except BaseException:
        files_forget(stored)
        raise


def uploaded_since(requested: ApplicationDocumentRequest) -> bool:
    return ApplicationDocument.objects.filter(
        application_id=requested.review.application_id,
        kind=requested.kind,
        uploaded_at__gte=requested.review.created_at,
    ).exists()


def application_document_add(
    *, application: OrganisationApplication, kind: str, upload: UploadedFile, uploaded_by: object
) -> ApplicationDocument:
    """Attach a document to an application that is not yet decided."""
    kind = document_kind(kind)
    checked = document_check(upload)
    with organisation_locked(application.organisation_id) as (organisation, stored):
        if organisation.status not in UNDECIDED:
            raise ValidationError(
                _("Ansökan är redan beslutad. Dokument kan inte längre läggas till."),
                code="decided",
            )
        document = document_save(
            application=application,
            kind=kind,
            upload=upload,
            checked=checked,
            uploaded_by=uploaded_by,
            reply=None,
            stored=stored,
        )
        audit_record(
            actor=uploaded_by,
            action="organisation.application.document_added",
            obj=organisation,
            data={"document": document.pk, "kind": kind, "size": document.size},
        )
    return document


def application_document_delete(*, document: ApplicationDocument, deleted_by: object) -> None:
    """Before the decision the applicant may take back a document they attached; what was sent
    with a reply or was there when a reply was sent, and everything once the application is
    decided, is kept as evidence."""
    with organisation_locked(document.application.organisation_id) as (organisation, _stored):
        if organisation.status not in UNDECIDED or document.application.decided_at:
            raise ValidationError(
                _("Ansökan är beslutad. Dokumenten sparas som underlag för beslutet."),
                code="decided",
            )
        if document.reply_id is not None:
            raise ValidationError(
                _("Dokumentet skickades med en komplettering och sparas som underlag."),
                code="reply",
            )
        if (
            ApplicationDocument.objects.filter(pk=document.pk)
            .annotate(kept=sent_before_a_reply())
            .filter(kept=True)
            .exists()
        ):
            raise ValidationError(
                _(
                    "Dokumentet fanns med när ni skickade en komplettering och sparas som "
                    "underlag. Ladda upp en ny version i stället om något har ändrats."
                ),
                code="replied",
            )
        name = document.file.name
        audit_record(
            actor=deleted_by,
            action="organisation.application.document_deleted",
            obj=organisation,
            data={
                "document": document.pk,
                "kind": document.kind,
                "original_name": document.original_name,
            },
        )
        document.delete()
        transaction.on_commit(lambda: files_forget([name]))
