"""Reminder kinds about the agreement: its review coming up, and confirming a new version."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from django.utils import timezone
from django.utils.translation import gettext as _

from agreements.models import AgreementVersion, Signature
from lov_portal.accounts.models import User
from lov_portal.accounts.permissions import is_staff
from lov_portal.core.http import absolute_url
from organisations.models import Membership, MembershipRole, Organisation

from ..registry import Due, Message
from .base import add_months, staff_ids

REVIEW_MONTHS_BEFORE = 6


def is_signatory(user: User) -> bool:
    return (
        is_staff(user)
        or Membership.objects.filter(
            user=user, role__in=[MembershipRole.ADMIN, MembershipRole.SIGNATORY]
        ).exists()
    )


# --- Staff: the agreement's review is due within six months ------------------------------------


def review_due_rule(now: datetime.datetime) -> Iterator[Due]:
    today = timezone.localdate(now)
    versions = AgreementVersion.objects.filter(
        is_current=True,
        review_due_on__isnull=False,
        review_due_on__gte=today,
        review_due_on__lte=add_months(today, REVIEW_MONTHS_BEFORE),
    )
    staff = staff_ids()
    for version in versions:
        due_on = add_months(version.review_due_on, -REVIEW_MONTHS_BEFORE)
        for user_id in staff:
            yield Due(version, user_id, due_on)


def review_due_message(version: AgreementVersion, due_on: datetime.date) -> Message:
    return Message(
        _("Översynen av överenskommelsen närmar sig"),
        {"version": version, "url": absolute_url("agreement")},
    )


# --- Organisations that signed an earlier version --------------------------------------------


def confirm_current_version_rule(now: datetime.datetime) -> Iterator[Due]:
    for version in AgreementVersion.objects.filter(is_current=True):
        signed_current = Signature.objects.filter(
            agreement_version=version, withdrawal__isnull=True
        ).values("organisation_id")
        earlier = (
            Organisation.objects.filter(
                signatures__agreement_version__agreement_id=version.agreement_id,
                signatures__agreement_version__number__lt=version.number,
                signatures__withdrawal__isnull=True,
            )
            .exclude(pk__in=signed_current)
            .distinct()
        )
        due_on = version.effective_from or timezone.localdate(version.created_at)
        people = Membership.objects.filter(
            organisation__in=earlier,
            role__in=[MembershipRole.ADMIN, MembershipRole.SIGNATORY],
        ).select_related("organisation")
        for membership in people:
            yield Due(membership.organisation, membership.user_id, due_on)


def confirm_current_version_message(organisation: Organisation, due_on: datetime.date) -> Message:
    return Message(
        _("Bekräfta den nya versionen av överenskommelsen"),
        {
            "organisation": organisation,
            "since": due_on,
            # The signing page shows the current version and "confirm the current one".
            "url": absolute_url("agreements:sign", organisation.slug),
        },
    )
