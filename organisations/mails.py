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

# kind (also the Message-ID's) -> (subject, the Swedish msgid translated when sent; template)
MAILS: dict[str, tuple[str, str]] = {
    "application-received": (
        gettext_noop("Ny ansökan: %(name)s"),
        "organisations/email/application_received_staff",
    ),
    "application-decided": (
        gettext_noop("Din ansökan för %(name)s"),
        "organisations/email/application_decided",
    ),
    "membership-request": (
        gettext_noop("Förfrågan om medlemskap i %(name)s"),
        "organisations/email/membership_requested",
    ),
    "invitation": (
        gettext_noop("Inbjudan att företräda %(name)s"),
        "organisations/email/invitation",
    ),
}


def _send(
    kind: str, key: int, language: str, context: Mapping[str, object], to: Sequence[str]
) -> int:
    to = [address for address in to if address]
    if not to:
        return 0
    subject, template = MAILS[kind]
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
    context = {"organisation": organisation, "url": reverse("organisations:review_queue")}
    to = list(staff.values_list("email", flat=True))
    return _send("application-received", organisation.pk, language, context, to)


def application_decided_send(*, review_id: int, language: str) -> int:
    """To the applicant: staff approved, rejected or asked for more."""
    review = (
        ApplicationReview.objects.select_related(
            "application__applicant", "application__organisation", "document_request"
        )
        .filter(pk=review_id)
        .first()
    )
    if review is None or review.application.applicant is None:
        return 0
    context = {"organisation": review.application.organisation, "review": review}
    to = [review.application.applicant.email]
    return _send("application-decided", review.pk, language, context, to)


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
    context = {"organisation": request.organisation, "membership_request": request}
    return _send("membership-request", request.pk, language, context, list(admins))


def invitation_send(*, invitation_id: int, language: str) -> int:
    """To the invited address: the link to accept."""
    invitation = Invitation.objects.select_related("organisation").filter(pk=invitation_id).first()
    if invitation is None:
        return 0
    context = {
        "organisation": invitation.organisation,
        "invitation": invitation,
        "url": reverse("organisations:invitation_accept", args=[invitation.token]),
    }
    return _send("invitation", invitation.pk, language, context, [invitation.email])
