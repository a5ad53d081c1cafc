import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from agreements.models import Signature, Withdrawal
from agreements.services import signature_create, signature_hash_fields, signature_record_hash
from tests.agreements.factories import AgreementVersionFactory
from tests.evidence import forced
from tests.organisations.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def test_signature_records_what_was_signed(version):
    organisation = OrganisationFactory()
    signature = signature_create(
        organisation=organisation, version=version, signer_name="Anna", signer_title="Ordförande"
    )
    assert signature.organisation_number == organisation.organisation_number
    assert signature.text_sha256 == version.text_sha256
    assert len(signature.receipt_code) == 20
    assert signature.round == 0


def test_signatures_form_a_hash_chain(version):
    first = signature_create(organisation=OrganisationFactory(), version=version, signer_name="A")
    second = signature_create(organisation=OrganisationFactory(), version=version, signer_name="B")
    assert first.previous_hash == ""
    assert second.previous_hash == first.record_hash
    assert second.record_hash == signature_record_hash(
        signature_hash_fields(second), first.record_hash
    )


def test_changing_a_signed_field_breaks_its_hash(version):
    signature = signature_create(
        organisation=OrganisationFactory(), version=version, signer_name="A"
    )
    with forced():  # an attacker with access to the database
        Signature.objects.filter(pk=signature.pk).update(signer_name="Förfalskad")
    tampered = Signature.objects.get(pk=signature.pk)
    assert signature_record_hash(signature_hash_fields(tampered), tampered.previous_hash) != (
        tampered.record_hash
    )


def test_a_second_active_signature_of_the_same_version_is_refused(version):
    organisation = OrganisationFactory()
    signature_create(organisation=organisation, version=version, signer_name="A")
    with pytest.raises(IntegrityError), transaction.atomic():
        signature_create(organisation=organisation, version=version, signer_name="B")
    assert Signature.objects.filter(organisation=organisation).count() == 1


def test_an_organisation_may_sign_again_after_withdrawing(version):
    organisation = OrganisationFactory()
    first = signature_create(organisation=organisation, version=version, signer_name="A")
    Withdrawal.objects.create(signature=first, withdrawn_at=timezone.now())
    second = signature_create(organisation=organisation, version=version, signer_name="A")
    assert second.round == 1


def test_chains_are_kept_per_agreement():
    one = AgreementVersionFactory()
    other = AgreementVersionFactory()
    signature_create(organisation=OrganisationFactory(), version=one, signer_name="A")
    first_of_other = signature_create(
        organisation=OrganisationFactory(), version=other, signer_name="B"
    )
    assert first_of_other.previous_hash == ""
