from __future__ import annotations

import functools
from unittest import mock

import pytest
from django.core import mail

from agreements.models import ReceiptDelivery, Signature
from agreements.services import signature_create
from agreements.tasks import signature_receipt_send
from lov_portal.core.models import ImmutableRecordError
from organisations.models import MembershipRole
from tests.concurrency import run_at_once
from tests.evidence import forced
from tests.organisations.factories import MembershipFactory


@pytest.fixture
def signature(lov):
    membership = MembershipFactory(role=MembershipRole.SIGNATORY, user__email="per@example.se")
    version = lov.versions.order_by("-number").first()
    return signature_create(
        organisation=membership.organisation,
        version=version,
        signer_name="Per",
        signer=membership.user,
    )


def test_running_the_receipt_task_twice_sends_the_receipt_once(signature):
    mail.outbox.clear()
    assert signature_receipt_send(signature.pk) is True
    assert signature_receipt_send(signature.pk) is False
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["per@example.se"]
    delivery = ReceiptDelivery.objects.get()
    assert delivery.signature == signature and delivery.recipient == "per@example.se"


def test_a_failed_send_records_nothing_so_a_retry_sends(signature):
    mail.outbox.clear()
    with (
        mock.patch("django.core.mail.EmailMessage.send", side_effect=OSError("SMTP down")),
        pytest.raises(OSError),
    ):
        signature_receipt_send(signature.pk)
    assert not ReceiptDelivery.objects.exists()
    assert signature_receipt_send(signature.pk) is True
    assert len(mail.outbox) == 1


def test_recording_the_receipt_never_changes_the_signature(signature):
    before = Signature.objects.filter(pk=signature.pk).values().get()
    signature_receipt_send(signature.pk)
    assert Signature.objects.filter(pk=signature.pk).values().get() == before
    with pytest.raises(ImmutableRecordError):
        ReceiptDelivery.objects.get().delete()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_send_the_receipt_once(lov):
    membership = MembershipFactory(role=MembershipRole.SIGNATORY, user__email="per@example.se")
    signature = signature_create(
        organisation=membership.organisation,
        version=lov.versions.order_by("-number").first(),
        signer_name="Per",
        signer=membership.user,
    )
    mail.outbox.clear()
    send = functools.partial(signature_receipt_send, signature.pk)
    results = run_at_once(send, send)
    assert sorted(results) == [False, True]
    assert len(mail.outbox) == 1
    assert ReceiptDelivery.objects.count() == 1


def test_a_receipt_sent_again_after_a_lost_record_keeps_its_message_id(signature):
    # If the worker dies after the SMTP server accepted the receipt but before the record
    # commits, the retry sends a copy with the same Message-ID.
    signature_receipt_send.apply(args=[signature.pk])
    first_id = mail.outbox[0].extra_headers["Message-ID"]
    with forced():  # the record that was lost (the database refuses a deletion otherwise)
        ReceiptDelivery.objects.filter(signature=signature).delete()
    signature_receipt_send.apply(args=[signature.pk])
    assert len(mail.outbox) == 2
    assert mail.outbox[1].extra_headers["Message-ID"] == first_id
    assert first_id.startswith(f"<lov-receipt-{signature.pk}@")
