"""The signer's receipt: a sealed PDF of what was signed, by whom and when.

The receipt is made once per signature (`receipt_get_or_create`), sealed with the portal's
seal (lov_portal.core.pdf) and stored in SignatureReceipt: the e-mail attaches those bytes,
and the organisation's members and staff download the very same bytes again later."""

from __future__ import annotations

import contextlib
import hashlib

from django.conf import settings
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import translation

from lov_portal.core.http import absolute_url, site_host
from lov_portal.core.mail import stable_message_id, templated_email
from lov_portal.core.pdf import pdf_seal, render_pdf

from .models import ReceiptDelivery, Signature, SignatureReceipt


def receipt_log_data(signature: Signature) -> dict[str, object] | None:
    """Where the signature stands in the register's public log, for the receipt to state:
    `{"index": N, "checkpoint_size": M}` (entry N, included in the signed checkpoint of size
    M; M is None while no checkpoint covers the entry yet). None without a log entry: then
    the receipt simply has no log section."""
    from .evidence import signature_log_position

    position = signature_log_position(signature)
    if position is None:
        return None
    if position.get("checkpoint") is None:
        # The receipt is sealed once: make sure it can name a checkpoint that covers the entry,
        # whichever of the two tasks a worker runs first (signing one is idempotent).
        from lov_portal.tlog.services import LogForkError, checkpoint_sign

        # A damaged log: the receipt then names no checkpoint.
        with contextlib.suppress(LogForkError):
            checkpoint_sign(log_id=position["log"].pk)
        position = signature_log_position(signature) or position
    checkpoint = position.get("checkpoint")
    return {
        "index": position["index"],
        "checkpoint_size": checkpoint.size if checkpoint is not None else None,
        "how_to_verify_url": absolute_url("agreements:how_to_verify"),
    }


def receipt_context(signature: Signature) -> dict[str, object]:
    """Everything the receipt templates (PDF and e-mail) show; the one place to add to it."""
    return {
        "signature": signature,
        "organisation": signature.organisation,
        "version": signature.agreement_version,
        "agreement": signature.agreement_version.agreement,
        "verify_url": absolute_url("agreements:verify", signature.receipt_code),
        "log": receipt_log_data(signature),
    }


def receipt_pdf(signature: Signature) -> bytes:
    """Render and seal a new receipt PDF in the active language (not stored: see below)."""
    html = render_to_string("agreements/receipt_pdf.html", receipt_context(signature))
    return pdf_seal(
        render_pdf(html),
        reason=translation.gettext("Kvitto på underskrift %(code)s")
        % {"code": signature.receipt_code},
        location=site_host() or settings.SITE_URL,
    )


def _receipt_language(signature: Signature) -> str:
    return (signature.signer.preferred_language if signature.signer else "") or "sv"


def receipt_get_or_create(*, signature: Signature) -> SignatureReceipt:
    """The signature's sealed receipt, made and stored on first use (in the signer's language).

    Two concurrent first uses both render, one row wins the unique signature column, and
    both return the winner: the receipt never changes once stored."""
    existing = SignatureReceipt.objects.filter(signature_id=signature.pk).first()
    if existing is not None:
        return existing
    language = _receipt_language(signature)
    with translation.override(language):
        pdf = receipt_pdf(signature)
    try:
        with transaction.atomic():
            return SignatureReceipt.objects.create(
                signature=signature,
                pdf=pdf,
                sha256=hashlib.sha256(pdf).hexdigest(),
                language=language,
            )
    except IntegrityError:
        return SignatureReceipt.objects.get(signature_id=signature.pk)


def receipt_bytes(receipt: SignatureReceipt) -> bytes:
    """The stored PDF, checked against its recorded hash (a changed row is refused)."""
    pdf = bytes(receipt.pdf)
    if hashlib.sha256(pdf).hexdigest() != receipt.sha256:
        raise ValueError(f"The stored receipt of signature {receipt.signature_id} was changed.")
    return pdf


def receipt_send(*, signature_id: int) -> bool:
    """Send the signer's receipt once. Returns whether this call sent it.

    Idempotent: the task may run twice (a Celery retry, a redelivered message, a double
    enqueue); only the run that records the ReceiptDelivery sends, and the record is written in
    the same transaction as the sending, so a failed send is retried rather than lost."""
    signature = (
        Signature.objects.select_related("organisation", "agreement_version__agreement", "signer")
        .filter(pk=signature_id)
        .first()
    )
    if signature is None or signature.signer is None:
        return False
    if ReceiptDelivery.objects.filter(signature_id=signature.pk).exists():
        return False  # already sent
    receipt = receipt_get_or_create(signature=signature)
    with translation.override(signature.signer.preferred_language or "sv"):
        message = templated_email(
            template="agreements/email/receipt",
            context=receipt_context(signature),
            subject=translation.gettext("Kvitto på underskrift: %(name)s")
            % {"name": signature.organisation.name},
            to=[signature.signer.email],
            headers={"Message-ID": stable_message_id("receipt", signature.pk)},
        )
    message.attach(
        f"kvitto-{signature.receipt_code}.pdf", receipt_bytes(receipt), "application/pdf"
    )
    with transaction.atomic():
        try:
            with transaction.atomic():
                ReceiptDelivery.objects.create(
                    signature=signature, recipient=signature.signer.email
                )
        except IntegrityError:
            return False  # another run recorded (and sent) it first
        message.send()  # raises on failure: the record rolls back and a retry sends
    return True
