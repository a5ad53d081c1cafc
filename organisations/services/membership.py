"""Who represents an organisation: asking to become a member and the administrator's answer,
invitations and their acceptance, and a representative's role."""

from __future__ import annotations

import datetime
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from lov_portal.audit.services import audit_record

from .. import tasks
from ..models import (
    Invitation,
    Membership,
    MembershipRequest,
    MembershipRequestStatus,
    MembershipRole,
    Organisation,
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
