"""Who may open the audit log (the permissions matrix, tests/permissions.py)."""

from tests.permissions import Row, matrix_test, staff_only

PERMISSIONS = [
    Row("audit:event_list", staff_only()),
]


test_audit_permissions = matrix_test(PERMISSIONS)
