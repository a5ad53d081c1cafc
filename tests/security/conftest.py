"""Fixtures the attack tests share."""

from tests.bankid import fixtures as bankid_fixtures
from tests.organisations import test_documents

# The BankID simulator the portal talks to, and its clock (tests/bankid/fixtures.py).
clock = bankid_fixtures.clock
simulator = bankid_fixtures.simulator
# An application waiting for review, its administrator and a plain member.
applying = test_documents.applying
