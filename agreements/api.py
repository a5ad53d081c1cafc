"""The read-only JSON API of the register (django-ninja router, mounted under /api/v1/)."""

from __future__ import annotations

import datetime

from django.http import Http404, HttpRequest
from ninja import Field, Path, Query, Router, Schema
from ninja.errors import ValidationError
from pydantic.json_schema import SkipJsonSchema

from . import evidence, filters, selectors

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


class ErrorOut(Schema):
    detail: str = Field(description='"Not Found" when there is no such object.')


class ValidationErrorOut(Schema):
    detail: list[dict] = Field(description="What was wrong with the request's parameters.")


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


def _found(obj):
    """The object, or 404 when there is none."""
    if obj is None:
        raise Http404
    return obj


def _agreement():
    return _found(selectors.agreement_get())


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


# Query and path text: no NUL characters (PostgreSQL cannot store or compare them), bounded.
NO_NUL = r"^[^\x00]*$"


def _text(default: str = "", max_length: int = 100, description: str | None = None):
    return Query(default, max_length=max_length, pattern=NO_NUL, description=description)


def _path_text(max_length: int):
    return Path(..., max_length=max_length, pattern=NO_NUL)


# Every endpoint answers these besides its own 200.
ERRORS = {404: ErrorOut, 422: ValidationErrorOut}


@router.get(
    "/signatories",
    response={200: SignatoryPage, **ERRORS},
    summary="The register of signatories",
)
def signatory_list(
    request: HttpRequest,
    q: str = _text(max_length=filters.Q_MAX_LENGTH),
    legal_form: str = _text(description="One of the legal forms (organisations' `legal_form`)."),
    municipality: str = _text(
        max_length=filters.MUNICIPALITY_MAX_LENGTH, description="A municipality's code."
    ),
    year: int | SkipJsonSchema[None] = Query(
        None, ge=filters.YEAR_MIN, le=filters.YEAR_MAX, description="Signed in this year."
    ),
    side: str = _text(description="`public` or `civil_society`."),
    sort: str = _text("namn", description="`namn`, `nyast` or `aldst`."),
    limit: int = Query(50, ge=1, le=500),
    offset: int = Query(0, ge=0, le=1_000_000),
) -> dict:
    register = filters.RegisterFilterSet(
        {
            "q": q,
            "legal_form": legal_form,
            "municipality": municipality,
            "year": year,
            "side": side,
            "sort": sort,
        },
        agreement=_agreement(),
    )
    if not register.is_valid():
        # The register page ignores such a value; a program is told.
        raise ValidationError(
            [
                {"type": "value_error", "loc": ["query", name], "msg": " ".join(messages)}
                for name, messages in register.errors.items()
            ]
        )
    organisations = register.qs
    return {
        "count": organisations.count(),
        "limit": limit,
        "offset": offset,
        "results": [_signatory(o) for o in organisations[offset : offset + limit]],
    }


@router.get(
    "/signatories/{slug}", response={200: SignatoryDetailOut, **ERRORS}, summary="One signatory"
)
def signatory_detail(request: HttpRequest, slug: str = _path_text(220)) -> dict:
    organisation = _found(selectors.register_profile(agreement=_agreement(), slug=slug))
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


@router.get(
    "/receipts/{code}", response={200: ReceiptOut, **ERRORS}, summary="Verify a receipt code"
)
def receipt_detail(request: HttpRequest, code: str = _path_text(100)) -> dict:
    signature = _found(selectors.signature_by_receipt(code=code))
    return {
        "receipt_code": signature.receipt_code,
        "organisation": signature.organisation.name,
        "organisation_number": signature.organisation_number,
        "agreement_version": signature.agreement_version.number,
        "signed_at": signature.signed_at,
        "text_sha256": signature.text_sha256,
        "record_hash": signature.record_hash,
        "intact": evidence.signature_entry_intact(signature),
        "withdrawn": hasattr(signature, "withdrawal"),
        "current_version": signature.agreement_version.is_current,
    }
