"""Reads of agreements, already prefetched for the pages that show them."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db.models import QuerySet

from organisations.models import Organisation

from .models import Agreement, AgreementVersion, Principle, Signature


def agreement_get(*, slug: str | None = None) -> Agreement | None:
    return Agreement.objects.filter(slug=slug or settings.DEFAULT_AGREEMENT_SLUG).first()


def agreement_current_version(*, agreement: Agreement) -> AgreementVersion | None:
    return AgreementVersion.objects.filter(agreement=agreement, is_current=True).first()


def principle_list(*, agreement: Agreement) -> QuerySet[Principle]:
    return Principle.objects.filter(agreement=agreement).order_by("order")


def signature_active_list(*, agreement: Agreement) -> QuerySet[Signature]:
    """Signatures of any version of the agreement that have not been withdrawn."""
    return Signature.objects.filter(agreement_version__agreement=agreement, withdrawal__isnull=True)


def signatory_count(*, agreement: Agreement) -> int:
    return (
        Organisation.objects.filter(
            signatures__agreement_version__agreement=agreement,
            signatures__withdrawal__isnull=True,
        )
        .distinct()
        .count()
    )


def signature_history(*, organisation: Organisation, agreement: Agreement) -> list[Signature]:
    """Every signature of the organisation, newest first, with its withdrawal if any."""
    return list(
        Signature.objects.filter(organisation=organisation, agreement_version__agreement=agreement)
        .select_related("agreement_version", "withdrawal")
        .order_by("-signed_at", "-pk")
    )


def signature_by_receipt(*, code: str) -> Signature | None:
    code = (code or "").strip().upper()
    if not code:
        return None
    return (
        Signature.objects.select_related(
            "organisation", "agreement_version__agreement", "withdrawal"
        )
        .filter(receipt_code=code)
        .first()
    )


@dataclass
class ChainCheck:
    checked: int
    broken: Signature | None = None
    problem: str = ""


def signature_is_intact(signature: Signature) -> bool:
    from .services import signature_hash_fields, signature_record_hash

    expected = signature_record_hash(signature_hash_fields(signature), signature.previous_hash)
    return expected == signature.record_hash


def register_verify(*, agreement: Agreement | None = None) -> ChainCheck:
    """Walk each agreement's chain in insertion order; report the first broken link."""
    agreements = [agreement] if agreement else list(Agreement.objects.order_by("pk"))
    checked = 0
    for item in agreements:
        expected_previous = ""
        signatures = Signature.objects.filter(agreement_version__agreement=item).order_by("pk")
        for signature in signatures.iterator(chunk_size=2000):
            checked += 1
            if signature.previous_hash != expected_previous:
                return ChainCheck(checked, signature, "previous_hash")
            if not signature_is_intact(signature):
                return ChainCheck(checked, signature, "record_hash")
            expected_previous = signature.record_hash
    return ChainCheck(checked)
