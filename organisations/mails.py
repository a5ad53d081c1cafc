"""The organisation e-mails: recipients, subject and templates (text and HTML) of each.

Called by the tasks in tasks.py; each returns how many recipients the e-mail went to (0 when
the row is gone or nobody is left to tell)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from lov_portal.core.mail import stable_message_id, templated_email

from .models import (
    ApplicationReview,
    Invitation,
    Membership,
    MembershipRequest,
    MembershipRole,
    Organisation,
)


def _send(
    *,
    kind: str,
    key: int,
    language: str,
    subject: str,
    template: str,
    context: Mapping[str, object],
    to: Sequence[str],
) -> int:
    # `subject` is the Swedish msgid (marked with gettext_noop), translated here.
    to = [address for address in to if address]
    if not to:
        return 0
    with translation.override(language):
        message = templated_email(
            template=template,
            context=context,
            subject=_(subject) % {"name": context["organisation"].name},
            to=to,
            headers={"Message-ID": stable_message_id(kind, key)},
        )
    message.send()
    return len(to)


def application_received_send(*, organisation_id: int, language: str) -> int:
    """To every active staff member: an organisation has applied."""
    organisation = Organisation.objects.filter(pk=organisation_id).first()
    if organisation is None:
        return 0
    staff = get_user_model().objects.filter(is_staff=True, is_active=True)
    return _send(
        kind="application-received",
        key=organisation.pk,
        language=language,
        subject=gettext_noop("Ny ansökan: %(name)s"),
        template="organisations/email/application_received_staff",
        context={"organisation": organisation, "url": reverse("organisations:review_queue")},
        to=list(staff.values_list("email", flat=True)),
    )


def application_decided_send(*, review_id: int, language: str) -> int:
    """To the applicant: staff approved, rejected or asked for more."""
    review = (
        ApplicationReview.objects.select_related(
            "application__applicant", "application__organisation"
        )
        .filter(pk=review_id)
        .first()
    )
    if review is None or review.application.applicant is None:
        return 0
    return _send(
        kind="application-decided",
        key=review.pk,
        language=language,
        subject=gettext_noop("Din ansökan för %(name)s"),
        template="organisations/email/application_decided",
        context={"organisation": review.application.organisation, "review": review},
        to=[review.application.applicant.email],
    )


def membership_requested_send(*, membership_request_id: int, language: str) -> int:
    """To the organisation's administrators: someone asks to become a member."""
    request = (
        MembershipRequest.objects.select_related("organisation", "user")
        .filter(pk=membership_request_id)
        .first()
    )
    if request is None:
        return 0
    admins = Membership.objects.filter(
        organisation_id=request.organisation_id, role=MembershipRole.ADMIN
    ).values_list("user__email", flat=True)
    return _send(
        kind="membership-request",
        key=request.pk,
        language=language,
        subject=gettext_noop("Förfrågan om medlemskap i %(name)s"),
        template="organisations/email/membership_requested",
        context={"organisation": request.organisation, "membership_request": request},
        to=list(admins),
    )


def invitation_send(*, invitation_id: int, language: str) -> int:
    """To the invited address: the link to accept."""
    invitation = Invitation.objects.select_related("organisation").filter(pk=invitation_id).first()
    if invitation is None:
        return 0
    return _send(
        kind="invitation",
        key=invitation.pk,
        language=language,
        subject=gettext_noop("Inbjudan att företräda %(name)s"),
        template="organisations/email/invitation",
        context={
            "organisation": invitation.organisation,
            "invitation": invitation,
            "url": reverse("organisations:invitation_accept", args=[invitation.token]),
        },
        to=[invitation.email],
    )
