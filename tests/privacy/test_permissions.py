"""Who may use the personal-data pages (the permissions matrix, tests/permissions.py)."""

from tests.permissions import Row, logged_in, matrix_test

PERMISSIONS = [
    Row("privacy:overview", logged_in(200)),
    Row("privacy:export", logged_in(200)),
    Row("privacy:account_delete", logged_in(200)),
    # An empty POST does not delete: the form comes back with errors.
    Row("privacy:account_delete", logged_in(200), method="post"),
    # Only one's own account: there is no one else's to name in the URL.
    Row("privacy:details", logged_in(200)),
    Row("privacy:details", logged_in(200), method="post"),
]


test_privacy_permissions = matrix_test(PERMISSIONS)
