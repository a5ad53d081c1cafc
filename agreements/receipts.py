"""The signer's receipt: an e-mail with a PDF of what was signed, by whom and when."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import translation

from lov_portal.core.http import absolute_url
from lov_portal.core.mail import mail_subject, stable_message_id

from .models import ReceiptDelivery, Signature


def receipt_context(signature: Signature) -> dict[str, object]:
    return {
        "signature": signature,
        "organisation": signature.organisation,
        "version": signature.agreement_version,
        "agreement": signature.agreement_version.agreement,
        "verify_url": absolute_url("agreements:verify", signature.receipt_code),
    }


def receipt_pdf(signature: Signature) -> bytes:
    from weasyprint import HTML

    html = render_to_string("agreements/receipt_pdf.html", receipt_context(signature))
    return HTML(string=html, base_url=settings.SITE_URL).write_pdf(pdf_variant="pdf/ua-1")


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
        return False  # already sent: not even the PDF is rendered again
    with translation.override(signature.signer.preferred_language or "sv"):
        context = receipt_context(signature)
        body = render_to_string("agreements/email/receipt.txt", context)
        subject = mail_subject(
            translation.gettext("Kvitto på underskrift: %(name)s")
            % {"name": signature.organisation.name}
        )
    message = EmailMessage(
        subject,
        body,
        None,
        [signature.signer.email],
        headers={"Message-ID": stable_message_id("receipt", signature.pk)},
    )
    message.attach(
        f"kvitto-{signature.receipt_code}.pdf", receipt_pdf(signature), "application/pdf"
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
