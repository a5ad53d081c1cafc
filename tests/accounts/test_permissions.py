"""Who may use the BankID pages of one's own account (the permissions matrix,
tests/permissions.py). Every view acts on the logged-in account and the order in its own
session: there is no one else's to name in the URL, so "the wrong user" is anyone not logged
in, and another account's order in the session (tests/accounts/test_bankid.py)."""

import pytest

from tests.permissions import Row, logged_in, matrix_cases, run_case

PERMISSIONS = [
    Row("accounts:bankid", logged_in(200)),
    # Linking asks for a fresh re-authentication first (allauth's redirect).
    Row("accounts:bankid_link_start", logged_in(302), method="post"),
    Row("accounts:bankid_unlink", logged_in(302), method="post"),
    Row("accounts:bankid_step_up", logged_in(200)),
    # Nobody in the world has linked a BankID: sent to link one.
    Row("accounts:bankid_step_up_start", logged_in(302), method="post"),
    # No order in the session: back to the BankID page (or, for the QR code, stop polling).
    Row("accounts:bankid_order", logged_in(302)),
    Row("accounts:bankid_qr", logged_in(286)),
    Row("accounts:bankid_collect", logged_in(302), method="post"),
    Row("accounts:bankid_cancel", logged_in(302), method="post"),
]


@pytest.mark.parametrize(("row", "role"), matrix_cases(PERMISSIONS))
def test_account_bankid_permissions(client, matrix_world, row, role):
    run_case(client, matrix_world, row, role)
