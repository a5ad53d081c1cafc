"""Who may open the public pages (the permissions matrix, tests/permissions.py)."""

from tests.permissions import Row, everyone, logged_in, matrix_test

PERMISSIONS = [
    Row("home", everyone(200)),
    Row("agreement", everyone(200)),
    Row("accessibility", everyone(200)),
    Row("privacy", everyone(200)),
    Row("api_page", everyone(200)),
    Row("favicon", everyone(200)),
    # "Att göra": only ever about the person asking.
    Row("todo", logged_in(200)),
]


test_public_pages_permissions = matrix_test(PERMISSIONS)
