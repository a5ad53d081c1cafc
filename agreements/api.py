"""The read-only JSON API of the register (django-ninja router, mounted under /api/v1/)."""

from __future__ import annotations

import datetime

from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema

from . import selectors

router = Router(tags=["signatories"])


class SignatoryOut(Schema):
    slug: str
    name: str
    organisation_number: str
    legal_form: str
    side: str
    municipalities: list[str]
    whole_county: bool
    website: str
    signed_at: datetime.datetime | None
    signed_version: int | None


class SignatoryPage(Schema):
    count: int
    limit: int
    offset: int
    results: list[SignatoryOut]


class SignatureOut(Schema):
    agreement_version: int
    kind: str
    signed_at: datetime.datetime
    decision_body: str
    decision_date: datetime.date | None
    decision_reference: str
    text_sha256: str
    previous_hash: str
    record_hash: str
    withdrawn_at: datetime.datetime | None = None
    withdrawal_reason: str = ""


class SignatoryDetailOut(SignatoryOut):
    description: str
    active: bool
    signatures: list[SignatureOut]


class ReceiptOut(Schema):
    receipt_code: str
    organisation: str
    organisation_number: str
    agreement_version: int
    signed_at: datetime.datetime
    text_sha256: str
    record_hash: str
    intact: bool = Field(description="The record still matches its hash.")
    withdrawn: bool
    current_version: bool


def _agreement():
    agreement = selectors.agreement_get()
    if agreement is None:
        raise Http404
    return agreement


def _signatory(organisation) -> dict:
    return {
        "slug": organisation.slug,
        "name": organisation.name,
        "organisation_number": organisation.organisation_number,
        "legal_form": organisation.legal_form,
        "side": organisation.side,
        "municipalities": [m.name for m in organisation.municipalities.all()],
        "whole_county": organisation.whole_county,
        "website": organisation.website,
        "signed_at": getattr(organisation, "signed_at", None),
        "signed_version": getattr(organisation, "signed_version", None),
    }


@router.get("/signatories", response=SignatoryPage, summary="The register of signatories")
def signatory_list(
    request: HttpRequest,
    q: str = "",
    legal_form: str = "",
    municipality: str = "",
    year: int | None = None,
    side: str = "",
    sort: str = "namn",
    limit: int = 50,
    offset: int = 0,
) -> dict:
    limit = max(1, min(limit, 500))
    offset = max(0, offset)
    organisations = selectors.register_list(
        agreement=_agreement(),
        query=selectors.RegisterQuery(
            q=q[:200],
            legal_form=legal_form,
            municipality=municipality,
            year=year,
            side=side,
            sort=sort if sort in selectors.REGISTER_SORTS else "namn",
        ),
    )
    return {
        "count": organisations.count(),
        "limit": limit,
        "offset": offset,
        "results": [_signatory(o) for o in organisations[offset : offset + limit]],
    }


@router.get("/signatories/{slug}", response=SignatoryDetailOut, summary="One signatory")
def signatory_detail(request: HttpRequest, slug: str) -> dict:
    organisation = selectors.register_profile(agreement=_agreement(), slug=slug)
    if organisation is None:
        raise Http404
    signatures = []
    for signature in organisation.signature_history:
        withdrawal = getattr(signature, "withdrawal", None)
        signatures.append(
            {
                "agreement_version": signature.agreement_version.number,
                "kind": signature.kind,
                "signed_at": signature.signed_at,
                "decision_body": signature.decision_body,
                "decision_date": signature.decision_date,
                "decision_reference": signature.decision_reference,
                "text_sha256": signature.text_sha256,
                "previous_hash": signature.previous_hash,
                "record_hash": signature.record_hash,
                "withdrawn_at": withdrawal.withdrawn_at if withdrawal else None,
                "withdrawal_reason": withdrawal.reason if withdrawal else "",
            }
        )
    active = [s for s in signatures if s["withdrawn_at"] is None]
    return {
        **_signatory(organisation),
        "signed_at": min((s["signed_at"] for s in active), default=None),
        "signed_version": max((s["agreement_version"] for s in active), default=None),
        "description": organisation.description,
        "active": bool(active),
        "signatures": signatures,
    }


@router.get("/receipts/{code}", response=ReceiptOut, summary="Verify a receipt code")
def receipt_detail(request: HttpRequest, code: str) -> dict:
    signature = selectors.signature_by_receipt(code=code)
    if signature is None:
        raise Http404
    return {
        "receipt_code": signature.receipt_code,
        "organisation": signature.organisation.name,
        "organisation_number": signature.organisation_number,
        "agreement_version": signature.agreement_version.number,
        "signed_at": signature.signed_at,
        "text_sha256": signature.text_sha256,
        "record_hash": signature.record_hash,
        "intact": selectors.signature_is_intact(signature),
        "withdrawn": hasattr(signature, "withdrawal"),
        "current_version": signature.agreement_version.is_current,
    }
