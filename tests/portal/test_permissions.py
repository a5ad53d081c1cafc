"""Who may open the public pages (the permissions matrix, tests/permissions.py)."""

import pytest

from tests.permissions import Row, everyone, matrix_cases, run_case

PERMISSIONS = [
    Row("home", everyone(200)),
    Row("agreement", everyone(200)),
    Row("accessibility", everyone(200)),
    Row("privacy", everyone(200)),
]


@pytest.mark.parametrize(("row", "role"), matrix_cases(PERMISSIONS))
def test_public_pages_permissions(client, world, row, role):
    run_case(client, world, row, role)
