"""Who may open the audit log (the permissions matrix, tests/permissions.py)."""

import pytest

from tests.permissions import Row, matrix_cases, run_case, staff_only

PERMISSIONS = [
    Row("audit:event_list", staff_only()),
]


@pytest.mark.parametrize(("row", "role"), matrix_cases(PERMISSIONS))
def test_audit_permissions(client, world, row, role):
    run_case(client, world, row, role)
