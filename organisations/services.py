"""Every write to organisations goes through these functions."""

from __future__ import annotations

import datetime
import secrets
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from lov_portal.audit.services import audit_record
from lov_portal.core.choices import PartySide

from . import tasks
from .models import (
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
from .validators import normalise_organisation_number


class OrganisationExistsError(Exception):
    def __init__(self, organisation: Organisation) -> None:
        super().__init__(organisation.organisation_number)
        self.organisation = organisation


# Words the organisation pages use in their own URLs.
RESERVED_SLUGS = {"ansok", "granskning", "forfragan", "inbjudan", "medlemskap"}


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
) -> Organisation:
    """Register an applying organisation; the applicant becomes its administrator."""
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
    except IntegrityError:
        # Two applications with the same number at the same moment: the second one loses.
        existing = Organisation.objects.filter(organisation_number=number).first()
        if existing is None:
            raise
        raise OrganisationExistsError(existing) from None
    tasks.application_received_notify.delay_on_commit(organisation.pk, get_language())
    return organisation


def application_review(
    *, application: OrganisationApplication, reviewer: object, action: str, reason: str = ""
) -> ApplicationReview:
    """A staff decision on an application; the applicant is e-mailed whatever it is."""
    status = {
        ReviewAction.APPROVE: OrganisationStatus.APPROVED,
        ReviewAction.REJECT: OrganisationStatus.REJECTED,
        ReviewAction.REQUEST_INFO: OrganisationStatus.INFO_REQUESTED,
    }[ReviewAction(action)]
    if action != ReviewAction.APPROVE and not reason.strip():
        raise ValidationError(_("Skriv en motivering som sökanden kan förstå."), code="reason")
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
            data={"reason": reason.strip()},
        )
    if application.applicant is not None:
        tasks.application_decided_notify.delay_on_commit(review.pk, get_language())
    return review


def application_reply(
    *, application: OrganisationApplication, author: object, message: str
) -> ApplicationReview:
    """The applicant answers a request for more information; back in the queue it goes."""
    with transaction.atomic():
        organisation = Organisation.objects.select_for_update().get(pk=application.organisation_id)
        if organisation.status != OrganisationStatus.INFO_REQUESTED:
            raise ValidationError(_("Ingen komplettering är begärd."), code="state")
        organisation.status = OrganisationStatus.APPLIED
        organisation.save(update_fields=["status", "updated_at"])
        return ApplicationReview.objects.create(
            application=application,
            action=ReviewAction.APPLICANT_REPLY,
            reason=message.strip(),
            author=author,
        )


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
