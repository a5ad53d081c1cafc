"""The reminder preferences page is every logged-in user's own (tests/permissions.py)."""

import pytest

from tests.permissions import Row, logged_in, matrix_cases, run_case

PERMISSIONS = [Row("reminders:preferences", logged_in(200))]


@pytest.mark.parametrize(("row", "role"), matrix_cases(PERMISSIONS))
def test_reminders_permissions(client, world, row, role):
    run_case(client, world, row, role)
