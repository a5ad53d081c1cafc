"""Reads of agreements, already prefetched for the pages that show them."""

from __future__ import annotations

from django.conf import settings
from django.db.models import QuerySet

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
    return signature_active_list(agreement=agreement).values("organisation_id").distinct().count()
