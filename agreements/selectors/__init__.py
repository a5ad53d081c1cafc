"""Reads of agreements, already prefetched for the pages that show them; the register's reads are
in .register (re-exported here: callers import `agreements.selectors`)."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db.models import QuerySet

from lov_portal.core.cache import in_request_cache, public_cache_version
from organisations.models import Organisation

from ..models import Agreement, AgreementVersion, Principle, Signature

# This process's agreements as read under the current public content version, by slug, as
# their rows (every page reads the agreement; any change to one moves the version,
# lov_portal.portal.signals).
_agreements: dict[tuple[str, str], tuple | None] = {}
_AGREEMENT_FIELDS = None


def agreement_get(*, slug: str | None = None) -> Agreement | None:
    """The agreement (the portal's default one without `slug`). In a request, read once per
    public content version and process; each caller gets an instance of its own."""
    global _AGREEMENT_FIELDS
    slug = slug or settings.DEFAULT_AGREEMENT_SLUG
    if not in_request_cache():
        return Agreement.objects.filter(slug=slug).first()
    if _AGREEMENT_FIELDS is None:
        _AGREEMENT_FIELDS = [f.attname for f in Agreement._meta.concrete_fields]
    key = (public_cache_version(), slug)
    row = _agreements.get(key, _agreements)  # the dict itself: not read yet
    if row is _agreements:
        row = Agreement.objects.filter(slug=slug).values_list(*_AGREEMENT_FIELDS).first()
        if any(version != key[0] for version, _ in list(_agreements)):
            _agreements.clear()  # only the current version's are kept
        _agreements[key] = row
    if row is None:
        return None
    return Agreement.from_db(Agreement.objects.db, _AGREEMENT_FIELDS, row)


def agreement_current_version(*, agreement: Agreement) -> AgreementVersion | None:
    return AgreementVersion.objects.filter(agreement=agreement, is_current=True).first()


def principle_list(*, agreement: Agreement) -> QuerySet[Principle]:
    return Principle.objects.filter(agreement=agreement).order_by("order")


def signature_active_list(*, agreement: Agreement) -> QuerySet[Signature]:
    """Signatures of any version of the agreement that have not been withdrawn."""
    return Signature.objects.filter(agreement_version__agreement=agreement, withdrawal__isnull=True)


def signature_history(*, organisation: Organisation, agreement: Agreement) -> list[Signature]:
    """Every signature of the organisation, newest first, with its withdrawal if any."""
    return list(
        Signature.objects.filter(organisation=organisation, agreement_version__agreement=agreement)
        .select_related("agreement_version", "withdrawal")
        .order_by("-signed_at", "-pk")
    )


def signature_of_organisation(*, organisation: Organisation, code: str) -> Signature | None:
    """One of the organisation's signatures by its receipt code, ready for its receipt."""
    return (
        Signature.objects.select_related("agreement_version__agreement", "signer")
        .filter(organisation=organisation, receipt_code=code)
        .first()
    )


def agreement_version_published(*, agreement: Agreement, number: int) -> AgreementVersion | None:
    return AgreementVersion.objects.filter(
        agreement=agreement, number=number, published_at__isnull=False
    ).first()


def signature_by_receipt(*, code: str) -> Signature | None:
    code = (code or "").strip().upper()
    if not code or not (code.isascii() and code.isalnum()) or len(code) > 64:
        return None  # no receipt code looks like this (and PostgreSQL refuses NUL bytes)
    return (
        Signature.objects.select_related(
            "organisation",
            "agreement_version__agreement",
            "agreement_version__log_entry",
            "withdrawal",
            "log_entry__log",
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
    from ..services import signature_hash_fields, signature_record_hash

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


# The register's reads (search, filters, rows, feeds, profiles) live in .register; callers
# import them from here, the package being the public surface (as meetings.selectors).
from .register import (  # noqa: E402
    ORGANISATION_NUMBER_RE,
    REGISTER_ROW_COLUMNS,
    REGISTER_SORTS,
    SEARCH_IDS_SQL,
    SEARCH_SQL,
    RegisterQuery,
    RegisterRow,
    register_latest,
    register_list,
    register_page,
    register_profile,
    register_rows,
    register_signatures,
    register_years,
    signatory_count,
    withdrawal_latest,
)

__all__ = [
    "ORGANISATION_NUMBER_RE",
    "REGISTER_ROW_COLUMNS",
    "REGISTER_SORTS",
    "SEARCH_IDS_SQL",
    "SEARCH_SQL",
    "ChainCheck",
    "RegisterQuery",
    "RegisterRow",
    "agreement_current_version",
    "agreement_get",
    "agreement_version_published",
    "principle_list",
    "register_latest",
    "register_list",
    "register_page",
    "register_profile",
    "register_rows",
    "register_signatures",
    "register_verify",
    "register_years",
    "signatory_count",
    "signature_active_list",
    "signature_by_receipt",
    "signature_history",
    "signature_is_intact",
    "signature_of_organisation",
    "withdrawal_latest",
]
