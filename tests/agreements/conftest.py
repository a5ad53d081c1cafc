import pytest

from agreements.services import signature_create
from tests.agreements.factories import AgreementVersionFactory
from tests.bankid.fixtures import clock, simulator  # noqa: F401 (the BankID simulator)
from tests.organisations.factories import OrganisationFactory


@pytest.fixture
def version(db):
    return AgreementVersionFactory()


@pytest.fixture
def signature(version):
    return signature_create(
        organisation=OrganisationFactory(), version=version, signer_name="Anna Andersson"
    )
