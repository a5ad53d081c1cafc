"""The reminder preferences page is every logged-in user's own (tests/permissions.py)."""

from tests.permissions import Row, logged_in, matrix_test

PERMISSIONS = [Row("reminders:preferences", logged_in(200))]


test_reminders_permissions = matrix_test(PERMISSIONS)
