"""The number of queries of signing is pinned (Zulip style) and does not grow with the register."""

from __future__ import annotations

import pytest

from agreements.services import signature_sign
from organisations.models import MembershipRole
from tests.agreements.factories import AgreementVersionFactory, SignatureFactory
from tests.organisations.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

# signature_sign: the active-signature check, a savepoint, the agreement lock, the chain's last
# hash, the round count; the evidence log (the log by name, a savepoint, the log row locked by
# id, the last index, the entry, its private commitment, release); the signature, release, and
# the audit record. The version is already published (its first signature publishes it).
SIGN_QUERIES = 15


@pytest.mark.parametrize("earlier", [1, 20])
def test_signing_runs_a_fixed_number_of_queries(earlier, django_assert_max_num_queries):
    version = AgreementVersionFactory()
    for _ in range(earlier):
        SignatureFactory(version=version)
    signatory = MembershipFactory(organisation=OrganisationFactory(), role=MembershipRole.SIGNATORY)
    with django_assert_max_num_queries(SIGN_QUERIES):
        signature = signature_sign(
            organisation=signatory.organisation,
            version=version,
            signer=signatory.user,
            signer_name="Per Firmatecknare",
            signer_title="Ordförande",
            authority_basis="firmatecknare",
        )
    assert signature.log_entry_id is not None
