import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from agreements.models import AgreementVersion, Withdrawal
from agreements.services import agreement_version_create
from agreements.text import canonical_text, text_sha256
from lov_portal.core.models import ImmutableRecordError
from tests.agreements.factories import AgreementFactory, AgreementVersionFactory

pytestmark = pytest.mark.django_db


def test_only_one_version_of_an_agreement_is_current():
    version = AgreementVersionFactory(number=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        AgreementVersionFactory(agreement=version.agreement, number=2, is_current=True)


def test_creating_a_new_version_makes_it_the_only_current_one():
    agreement = AgreementFactory()
    first = agreement_version_create(agreement=agreement, number=1, text="Första texten.")
    second = agreement_version_create(agreement=agreement, number=2, text="Andra texten.")
    first.refresh_from_db()
    assert not first.is_current and second.is_current


def test_review_is_due_five_years_after_the_version_takes_effect():
    version = agreement_version_create(
        agreement=AgreementFactory(),
        number=1,
        text="Text",
        effective_from=datetime.date(2024, 2, 29),
    )
    assert version.review_due_on == datetime.date(2029, 2, 28)


def test_a_review_later_than_five_years_is_refused():
    with pytest.raises(ValidationError) as error:
        agreement_version_create(
            agreement=AgreementFactory(),
            number=1,
            text="Text",
            effective_from=datetime.date(2024, 1, 1),
            review_due_on=datetime.date(2030, 1, 1),
        )
    assert "minst vart femte år" in str(error.value)


def test_review_before_effective_date_is_refused_by_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        AgreementVersionFactory(
            effective_from=datetime.date(2024, 1, 1), review_due_on=datetime.date(2023, 1, 1)
        )


def test_text_hash_is_of_the_canonical_text():
    # A draft (never current, never signed): only a draft's text can change.
    version = AgreementVersionFactory(text="Rad ett  \r\nRad två\n\n", is_current=False)
    assert version.text_sha256 == text_sha256("Rad ett\nRad två")
    assert canonical_text("e\u0301") == "\u00e9"  # NFC: the same letter, the same hash
    version.text = "Ändrad"
    version.save()
    assert AgreementVersion.objects.get(pk=version.pk).text_sha256 == text_sha256("Ändrad")


def test_signatures_are_never_changed_or_deleted(signature):
    signature.signer_name = "Någon annan"
    with pytest.raises(ImmutableRecordError):
        signature.save()
    with pytest.raises(ImmutableRecordError):
        signature.delete()


def test_withdrawals_are_never_changed(signature):
    withdrawal = Withdrawal.objects.create(
        signature=signature, withdrawn_at=signature.signed_at, reason="Upphört"
    )
    withdrawal.reason = "Annat"
    with pytest.raises(ImmutableRecordError):
        withdrawal.save()
