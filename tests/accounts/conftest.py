"""Fixtures for the account tests."""

from tests.bankid.fixtures import clock, simulator  # noqa: F401 (the BankID simulator)
