"""Every write to organisations goes through these functions."""

from __future__ import annotations

import datetime
import secrets
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from lov_portal.audit.services import audit_record
from lov_portal.core.choices import PartySide
from lov_portal.core.uploads import CheckedUpload, download_name

from . import signals, tasks
from .models import (
    APPLICATION_DOCUMENT_POLICY,
    ApplicationDocument,
    ApplicationDocumentKind,
    ApplicationDocumentRequest,
    ApplicationReview,
    EligibilityCriterion,
    Invitation,
    Membership,
    MembershipRequest,
    MembershipRequestStatus,
    MembershipRole,
    Municipality,
    Organisation,
    OrganisationApplication,
    OrganisationStatus,
    ReviewAction,
)
from .selectors import application_document_requested, sent_before_a_reply
from .validators import normalise_organisation_number


class OrganisationExistsError(Exception):
    def __init__(self, organisation: Organisation) -> None:
        super().__init__(organisation.organisation_number)
        self.organisation = organisation


# Words the organisation pages use in their own URLs.
RESERVED_SLUGS = {"ansok", "granskning", "forfragan", "inbjudan", "medlemskap", "dokument"}


def unique_slug(name: str) -> str:
    base = slugify(name)[:200] or "organisation"
    slug, n = base, 2
    while slug in RESERVED_SLUGS or Organisation.objects.filter(slug=slug).exists():
        slug = f"{base}-{n}"
        n += 1
    return slug


def organisation_apply(
    *,
    applicant: object,
    name: str,
    organisation_number: str,
    legal_form: str,
    municipalities: Iterable[Municipality],
    whole_county: bool,
    website: str,
    description: str,
    contact_role: str,
    eligibility: Iterable[str],
    applicant_name: str = "",
) -> Organisation:
    """Register an applying organisation; the applicant becomes its administrator, and the
    name they gave as contact person becomes their account's name if it has none yet."""
    number = normalise_organisation_number(organisation_number)
    declared = sorted(set(eligibility))
    missing = set(EligibilityCriterion.values) - set(declared)
    if missing:
        raise ValidationError(_("Alla villkor i avsnitt 5.1 måste intygas."), code="eligibility")
    existing = Organisation.objects.filter(organisation_number=number).first()
    if existing is not None:
        raise OrganisationExistsError(existing)
    try:
        with transaction.atomic():
            organisation = Organisation.objects.create(
                name=name.strip(),
                slug=unique_slug(name),
                organisation_number=number,
                legal_form=legal_form,
                side=PartySide.CIVIL_SOCIETY,
                whole_county=whole_county,
                website=website,
                description=description.strip(),
                status=OrganisationStatus.APPLIED,
            )
            organisation.municipalities.set(municipalities)
            OrganisationApplication.objects.create(
                organisation=organisation,
                applicant=applicant,
                contact_role=contact_role.strip(),
                eligibility=declared,
            )
            Membership.objects.create(
                user=applicant, organisation=organisation, role=MembershipRole.ADMIN
            )
            if applicant_name and not applicant.full_name:
                applicant.full_name = applicant_name
                applicant.save(update_fields=["full_name"])
    except IntegrityError:
        # Two applications with the same number at the same moment: the second one loses.
        existing = Organisation.objects.filter(organisation_number=number).first()
        if existing is None:
            raise
        raise OrganisationExistsError(existing) from None
    tasks.application_received_notify.delay_on_commit(organisation.pk, get_language())
    return organisation


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
        requested_document = _document_kind(requested_document, field="requested_document")
    now = timezone.now()
    with transaction.atomic():
        organisation = Organisation.objects.select_for_update().get(pk=application.organisation_id)
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
    checked = _document_check(upload) if upload is not None else None
    kind = _document_kind(kind) if upload is not None else ""
    stored: list[str] = []
    try:
        with transaction.atomic():
            organisation = Organisation.objects.select_for_update().get(
                pk=application.organisation_id
            )
            if organisation.status != OrganisationStatus.INFO_REQUESTED:
                raise ValidationError(_("Ingen komplettering är begärd."), code="state")
            requested = application_document_requested(application=application)
            if requested and kind != requested.kind and not _uploaded_since(requested):
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
                document = _document_save(
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
    except BaseException:
        _forget(stored)
        raise
    return review


# --- Documents in the application ---------------------------------------------------------------

UNDECIDED = {OrganisationStatus.APPLIED, OrganisationStatus.INFO_REQUESTED}


def _document_kind(kind: str, *, field: str = "kind") -> str:
    if kind not in ApplicationDocumentKind.values:
        raise ValidationError({field: _("Välj vilken sorts dokument det är.")}, code="kind")
    return kind


def _document_check(upload: UploadedFile) -> CheckedUpload:
    """The one upload policy, before anything is written: a refused file saves nothing."""
    try:
        return APPLICATION_DOCUMENT_POLICY.check(upload)
    except ValidationError as error:
        raise ValidationError({"file": error.error_list}) from None


def _document_save(
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


def _forget(names: list[str]) -> None:
    """Files written by a transaction that did not commit: nothing may be left half-saved."""
    from django.core.files.storage import default_storage

    for name in names:
        default_storage.delete(name)


def _uploaded_since(requested: ApplicationDocumentRequest) -> bool:
    return ApplicationDocument.objects.filter(
        application_id=requested.review.application_id,
        kind=requested.kind,
        uploaded_at__gte=requested.review.created_at,
    ).exists()


def application_document_add(
    *, application: OrganisationApplication, kind: str, upload: UploadedFile, uploaded_by: object
) -> ApplicationDocument:
    """Attach a document to an application that is not yet decided."""
    kind = _document_kind(kind)
    checked = _document_check(upload)
    stored: list[str] = []
    try:
        with transaction.atomic():
            organisation = Organisation.objects.select_for_update().get(
                pk=application.organisation_id
            )
            if organisation.status not in UNDECIDED:
                raise ValidationError(
                    _("Ansökan är redan beslutad. Dokument kan inte längre läggas till."),
                    code="decided",
                )
            document = _document_save(
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
    except BaseException:
        _forget(stored)
        raise
    return document


def application_document_delete(*, document: ApplicationDocument, deleted_by: object) -> None:
    """Before the decision the applicant may take back a document they attached; what was sent
    with a reply or was there when a reply was sent, and everything once the application is
    decided, is kept as evidence."""
    with transaction.atomic():
        organisation = Organisation.objects.select_for_update().get(
            pk=document.application.organisation_id
        )
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
        transaction.on_commit(lambda: _forget([name]))


def membership_request_create(
    *, organisation: Organisation, user: object, message: str = ""
) -> MembershipRequest:
    if Membership.objects.filter(organisation=organisation, user=user).exists():
        raise ValidationError(_("Du är redan medlem i organisationen."), code="member")
    request = MembershipRequest.objects.filter(
        organisation=organisation, user=user, status=MembershipRequestStatus.PENDING
    ).first()
    if request is not None:
        return request
    request = MembershipRequest.objects.create(
        organisation=organisation, user=user, message=message.strip()
    )
    tasks.membership_requested_notify.delay_on_commit(request.pk, get_language())
    return request


def membership_request_decide(
    *, membership_request: MembershipRequest, decided_by: object, accept: bool
) -> MembershipRequest:
    with transaction.atomic():
        membership_request = MembershipRequest.objects.select_for_update().get(
            pk=membership_request.pk
        )
        if membership_request.status != MembershipRequestStatus.PENDING:
            return membership_request
        membership_request.status = (
            MembershipRequestStatus.ACCEPTED if accept else MembershipRequestStatus.DECLINED
        )
        membership_request.decided_at = timezone.now()
        membership_request.save(update_fields=["status", "decided_at"])
        if accept:
            Membership.objects.get_or_create(
                user=membership_request.user,
                organisation=membership_request.organisation,
                defaults={"role": MembershipRole.MEMBER},
            )
        audit_record(
            actor=decided_by,
            action=(
                "organisation.membership_accepted" if accept else "organisation.membership_declined"
            ),
            obj=membership_request.organisation,
            data={"user": membership_request.user_id},
        )
    return membership_request


INVITATION_DAYS = 14


class InvitationError(Exception):
    pass


def invitation_create(
    *, organisation: Organisation, email: str, role: str, invited_by: object
) -> Invitation:
    email = email.strip().lower()
    if Membership.objects.filter(organisation=organisation, user__email__iexact=email).exists():
        raise ValidationError(_("Personen är redan medlem i organisationen."), code="member")
    invitation = Invitation.objects.create(
        organisation=organisation,
        email=email,
        role=MembershipRole(role),
        token=secrets.token_urlsafe(32),
        invited_by=invited_by,
        expires_at=timezone.now() + datetime.timedelta(days=INVITATION_DAYS),
    )
    tasks.invitation_send.delay_on_commit(invitation.pk, get_language())
    return invitation


def invitation_accept(*, invitation: Invitation, user: object) -> Membership:
    """Only the invited address may accept; a member's role is set to the invited one."""
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if not invitation.is_open:
            raise InvitationError(_("Inbjudan har redan använts eller gått ut."))
        if user.email.lower() != invitation.email.lower():
            raise InvitationError(
                _("Inbjudan gäller en annan e-postadress. Logga in med %(email)s.")
                % {"email": invitation.email}
            )
        membership, created = Membership.objects.get_or_create(
            user=user, organisation=invitation.organisation, defaults={"role": invitation.role}
        )
        if not created and membership.role != invitation.role:
            membership.role = invitation.role
            membership.save(update_fields=["role"])
        invitation.accepted_at = timezone.now()
        invitation.accepted_by = user
        invitation.save(update_fields=["accepted_at", "accepted_by"])
        audit_record(
            actor=user,
            action="organisation.invitation_accepted",
            obj=invitation.organisation,
            data={"role": str(invitation.role), "invited_by": invitation.invited_by_id},
        )
    return membership


def membership_role_set(*, membership: Membership, role: str, changed_by: object) -> Membership:
    """Change a representative's role; an organisation always keeps at least one administrator."""
    with transaction.atomic():
        admins = list(
            Membership.objects.select_for_update()
            .filter(organisation_id=membership.organisation_id, role=MembershipRole.ADMIN)
            .values_list("pk", flat=True)
        )
        if role != MembershipRole.ADMIN and admins == [membership.pk]:
            raise ValidationError(
                _("Organisationen måste ha minst en administratör."), code="last_admin"
            )
        membership.role = MembershipRole(role)
        membership.save(update_fields=["role"])
    audit_record(
        actor=changed_by,
        action="organisation.role_changed",
        obj=membership.organisation,
        data={"user": membership.user_id, "role": str(role)},
    )
    return membership


def municipality_ensure(*, code: str, name: str, province: str, county: str) -> Municipality:
    """Create the municipality if missing; an existing one is left as it is."""
    municipality, _created = Municipality.objects.get_or_create(
        code=code, defaults={"name": name, "province": province, "county": county}
    )
    return municipality
