"""Named permissions of the organisation pages (checked with
lov_portal.accounts.permissions.has_perm, so a superuser gets no silent bypass for acts that
must be done by the organisation itself)."""

from __future__ import annotations

import rules

from lov_portal.accounts.permissions import is_staff

from .models import Membership, MembershipRole, Organisation, OrganisationStatus


def _role(user: object, organisation: Organisation | None) -> str | None:
    if organisation is None or not getattr(user, "is_authenticated", False):
        return None
    cache = getattr(user, "_lov_roles", None)
    if cache is None:
        cache = {}
        user._lov_roles = cache  # type: ignore[attr-defined]
    if organisation.pk not in cache:
        cache[organisation.pk] = (
            Membership.objects.filter(user=user, organisation=organisation)
            .values_list("role", flat=True)
            .first()
        )
    return cache[organisation.pk]


@rules.predicate
def is_org_member(user: object, organisation: Organisation | None) -> bool:
    return _role(user, organisation) is not None


@rules.predicate
def is_org_admin(user: object, organisation: Organisation | None) -> bool:
    return _role(user, organisation) == MembershipRole.ADMIN


@rules.predicate
def is_org_signatory(user: object, organisation: Organisation | None) -> bool:
    return _role(user, organisation) in {MembershipRole.ADMIN, MembershipRole.SIGNATORY}


@rules.predicate
def is_approved(user: object, organisation: Organisation | None) -> bool:
    return organisation is not None and organisation.status == OrganisationStatus.APPROVED


@rules.predicate
def is_info_requested(user: object, organisation: Organisation | None) -> bool:
    return organisation is not None and organisation.status == OrganisationStatus.INFO_REQUESTED


@rules.predicate
def is_undecided(user: object, organisation: Organisation | None) -> bool:
    return organisation is not None and organisation.status in {
        OrganisationStatus.APPLIED,
        OrganisationStatus.INFO_REQUESTED,
    }


rules.add_perm("organisations.apply", rules.is_authenticated)
rules.add_perm("organisations.review_applications", is_staff)
rules.add_perm("organisations.manage_organisation", is_org_admin)
rules.add_perm("organisations.reply_to_review", is_org_admin & is_info_requested)
rules.add_perm("organisations.request_membership", rules.is_authenticated & ~is_org_member)
# Documents in the application: the organisation's representatives and staff read them; its
# administrator adds (and, before a decision, removes) them.
rules.add_perm("organisations.view_application_documents", is_staff | is_org_member)
rules.add_perm("organisations.add_application_document", is_org_admin & is_undecided)
