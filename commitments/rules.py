"""Who may do what with commitments. Named permissions, checked with
`lov_portal.accounts.permissions.has_perm`."""

from __future__ import annotations

import rules

from lov_portal.accounts.permissions import is_staff


@rules.predicate
def is_commitment_owner(user, commitment) -> bool:
    if commitment is None or not getattr(user, "is_authenticated", False):
        return False
    # Views that list many commitments prefetch `owners`; use it when it is there.
    cache = getattr(commitment, "_prefetched_objects_cache", {})
    if "owners" in cache:
        return any(owner.pk == user.pk for owner in cache["owners"])
    return commitment.owners.filter(pk=user.pk).exists()


# Owners report on their own commitments; staff on every commitment.
rules.add_perm("commitments.post_update", is_staff | is_commitment_owner)
# Only staff may mark an update internal, see internal updates and follow up everything.
rules.add_perm("commitments.mark_internal", is_staff)
rules.add_perm("commitments.view_internal", is_staff)
rules.add_perm("commitments.view_dashboard", is_staff)
rules.add_perm("commitments.manage", is_staff)
