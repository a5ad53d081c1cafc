"""Named permissions for signing, withdrawal and the region's decision."""

from __future__ import annotations

import rules

from lov_portal.accounts.permissions import is_staff
from organisations.rules import is_approved, is_org_admin, is_org_member, is_org_signatory

rules.add_perm("agreements.view_organisation_signature", is_org_member | is_staff)
rules.add_perm("agreements.download_receipt", is_org_member | is_staff)
rules.add_perm("agreements.sign", is_org_signatory & is_approved)
rules.add_perm("agreements.withdraw", is_org_admin)
rules.add_perm("agreements.register_decision", is_staff)
