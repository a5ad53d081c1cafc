"""The signer's receipt: an e-mail with a PDF of what was signed, by whom and when."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from .models import Signature


def receipt_context(signature: Signature) -> dict[str, object]:
    return {
        "signature": signature,
        "organisation": signature.organisation,
        "version": signature.agreement_version,
        "agreement": signature.agreement_version.agreement,
        "verify_url": settings.SITE_URL
        + reverse("agreements:verify", kwargs={"code": signature.receipt_code}),
    }


def receipt_pdf(signature: Signature) -> bytes:
    from weasyprint import HTML

    html = render_to_string("agreements/receipt_pdf.html", receipt_context(signature))
    return HTML(string=html, base_url=settings.SITE_URL).write_pdf()


def receipt_send(*, signature_id: int) -> None:
    signature = (
        Signature.objects.select_related("organisation", "agreement_version__agreement", "signer")
        .filter(pk=signature_id)
        .first()
    )
    if signature is None or signature.signer is None:
        return
    with translation.override(signature.signer.preferred_language or "sv"):
        context = receipt_context(signature)
        body = render_to_string("agreements/email/receipt.txt", context)
        subject = settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + translation.gettext(
            "Kvitto på underskrift: %(name)s"
        ) % {"name": signature.organisation.name}
    message = EmailMessage(subject, body, None, [signature.signer.email])
    message.attach(
        f"kvitto-{signature.receipt_code}.pdf", receipt_pdf(signature), "application/pdf"
    )
    message.send()
