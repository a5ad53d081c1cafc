"""Signatures: the hash chain and receipt codes, signing online (password or BankID) and the
region's decision registered by staff."""

from __future__ import annotations

import datetime
import hashlib
import json
import secrets
from typing import Any

from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone

from lov_portal.audit.services import audit_record
from organisations.models import Organisation
from tools.lov_verify import canonical_json

from .. import evidence
from ..models import (
    Agreement,
    AgreementVersion,
    BankIDEvidence,
    Signature,
    SignatureKind,
    SignatureMethod,
)


class AlreadySignedError(Exception):
    """The organisation already has an active signature of this version."""


def new_receipt_code() -> str:
    # 20 characters of base32: easy to read aloud, impossible to guess.
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "".join(secrets.choice(alphabet) for _ in range(20))


def signature_record_hash(fields: dict[str, object], previous_hash: str) -> str:
    """The hash of one register record, chained to the record before it."""
    payload = json.dumps({**fields, "previous_hash": previous_hash}, sort_keys=True, default=str)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def signature_hash_fields(signature: Signature) -> dict[str, object]:
    """What the chain protects: everything that says who signed what, when (and how, for
    signatures made since the method is recorded: older records hash as they always did)."""
    fields: dict[str, object] = {"method": signature.method} if signature.method else {}
    return fields | {
        "organisation_number": signature.organisation_number,
        "agreement_version_id": signature.agreement_version_id,
        "text_sha256": signature.text_sha256,
        "round": signature.round,
        "kind": signature.kind,
        "signer_name": signature.signer_name,
        "signer_title": signature.signer_title,
        "decision_body": signature.decision_body,
        "decision_date": signature.decision_date.isoformat() if signature.decision_date else "",
        "decision_reference": signature.decision_reference,
        "signed_at": signature.signed_at.astimezone(datetime.UTC).isoformat(),
        "receipt_code": signature.receipt_code,
    }


def _signatures_of(organisation: Organisation, version: AgreementVersion):
    return Signature.objects.filter(organisation=organisation, agreement_version=version)


def _refuse_if_signed(*, organisation: Organisation, version: AgreementVersion) -> None:
    """Raise AlreadySignedError if the organisation has an active signature of the version."""
    if _signatures_of(organisation, version).filter(withdrawal__isnull=True).exists():
        raise AlreadySignedError


def signature_create(
    *,
    organisation: Organisation,
    version: AgreementVersion,
    signer_name: str,
    signer_title: str = "",
    signer: object | None = None,
    kind: str = SignatureKind.ONLINE,
    method: str = "",
    bankid_order_ref: str = "",
    bankid_completion: dict | None = None,
    consent_text: str = "",
    authority_reference: str = "",
    decision_body: str = "",
    decision_date: datetime.date | None = None,
    decision_reference: str = "",
    ip_address: str | None = None,
    user_agent: str = "",
    signed_at: datetime.datetime | None = None,
) -> Signature:
    """Record a signature at the end of the agreement's hash chain and its log.

    A BankID signature (`method="bankid"`) brings BankID's completionData, which is stored
    as canonical JSON in `BankIDEvidence` and committed to in the log's private evidence."""
    if (method == SignatureMethod.BANKID) != (bankid_completion is not None):
        raise ValueError("a BankID signature needs BankID's completionData, and only it")
    with transaction.atomic():
        # Locking the agreement row serialises signings, so the chain never forks.
        Agreement.objects.select_for_update().get(pk=version.agreement_id)
        previous = (
            Signature.objects.filter(agreement_version__agreement_id=version.agreement_id)
            .order_by("-pk")
            .values_list("record_hash", flat=True)
            .first()
        )
        rounds = _signatures_of(organisation, version).filter(withdrawal__isnull=False).count()
        signature = Signature(
            organisation=organisation,
            agreement_version=version,
            round=rounds,
            kind=kind,
            method=method,
            organisation_number=organisation.organisation_number,
            organisation_name=organisation.name,
            text_sha256=version.text_sha256,
            signer=signer,
            signer_name=signer_name,
            signer_title=signer_title,
            authority_reference=authority_reference,
            consent_text=consent_text,
            decision_body=decision_body,
            decision_date=decision_date,
            decision_reference=decision_reference,
            signed_at=signed_at or timezone.now(),
            ip_address=ip_address,
            user_agent=user_agent[:500],
            receipt_code=new_receipt_code(),
            previous_hash=previous or "",
        )
        signature.record_hash = signature_record_hash(
            signature_hash_fields(signature), signature.previous_hash
        )
        bankid_record = None
        if bankid_completion is not None:
            bankid_record = BankIDEvidence(
                order_ref=bankid_order_ref,
                completion_data=canonical_json(bankid_completion).decode("utf-8"),
            )
            # Known to the signature before it is saved: its log entry commits to it.
            signature.bankid_evidence = bankid_record
        if version.log_entry_id is None:
            # A version being signed is published, whoever forgot to say so.
            evidence.version_published(version, at=signature.signed_at)
        signature.log_entry = evidence.signature_logged(signature)
        signature.save()
        if bankid_record is not None:
            bankid_record.signature = signature
            bankid_record.save()
    return signature


def _signature_create_once(**fields: Any) -> Signature:
    """`signature_create(**fields)`, of which exactly one wins a race: the unique
    (organisation, version, round) constraint refuses the others (AlreadySignedError)."""
    try:
        return signature_create(**fields)
    except IntegrityError:
        raise AlreadySignedError from None


def consent_text_build(
    *,
    organisation: Organisation,
    version: AgreementVersion,
    signer_name: str,
    signer_title: str,
    authority_basis: str,
    authority_reference: str = "",
) -> str:
    """The sentence the signer confirms, stored word for word with the signature."""
    basis = (
        "som firmatecknare"
        if authority_basis == "firmatecknare"
        else "genom beslut enligt organisationens stadgar"
    )
    if authority_reference:
        basis += f" ({authority_reference})"
    return (
        f"Jag, {signer_name}, {signer_title}, intygar att jag är behörig att {basis} "
        f"underteckna för {organisation.name} ({organisation.organisation_number}). "
        f"Organisationen undertecknar {version.agreement.name}, version {version.number}, "
        f"med texten vars SHA-256 är {version.text_sha256}."
    )


def signature_sign(
    *,
    organisation: Organisation,
    version: AgreementVersion,
    signer: object,
    signer_name: str,
    signer_title: str,
    authority_basis: str,
    authority_reference: str = "",
    ip_address: str | None = None,
    user_agent: str = "",
    method: str = SignatureMethod.PASSWORD,
    bankid_order_ref: str = "",
    bankid_completion: dict | None = None,
) -> Signature:
    """An organisation's representative signs online. Exactly one signature wins a race.

    By password and second factor (the view re-authenticates first), or with BankID: then
    `bankid_completion` is BankID's completionData of the completed sign order, and the
    signer's name is the one BankID gives."""
    _refuse_if_signed(organisation=organisation, version=version)
    consent = consent_text_build(
        organisation=organisation,
        version=version,
        signer_name=signer_name,
        signer_title=signer_title,
        authority_basis=authority_basis,
        authority_reference=authority_reference,
    )
    signature = _signature_create_once(
        organisation=organisation,
        version=version,
        signer=signer,
        signer_name=signer_name.strip(),
        signer_title=signer_title.strip(),
        kind=SignatureKind.ONLINE,
        method=method,
        bankid_order_ref=bankid_order_ref,
        bankid_completion=bankid_completion,
        consent_text=consent,
        authority_reference=authority_reference.strip(),
        ip_address=ip_address,
        user_agent=user_agent,
    )
    audit_record(
        actor=signer,
        action="signature.signed",
        obj=signature,
        data={"organisation": organisation.name, "version": version.number},
    )
    from ..tasks import signature_receipt_send

    signature_receipt_send.delay_on_commit(signature.pk)
    return signature


def signature_bankid_refused(
    *,
    organisation: Organisation,
    version: AgreementVersion,
    signer: object,
    bankid_order_ref: str,
    request: HttpRequest | None = None,
) -> None:
    """A signatory's BankID sign order was signed with a BankID other than the one linked to
    their account: nothing is signed, and the refusal is recorded (never a personal identity
    number, of either person)."""
    audit_record(
        actor=signer,
        action="signature.bankid_refused",
        obj=organisation,
        data={
            "organisation": organisation.name,
            "version": version.number,
            "order_ref": bankid_order_ref,
        },
        request=request,
    )


def region_decision_register(
    *,
    organisation: Organisation,
    version: AgreementVersion,
    decision_body: str,
    decision_date: datetime.date,
    decision_reference: str,
    registered_by: object,
) -> Signature:
    """The public party's engagement: a decision of its assembly, registered by staff."""
    _refuse_if_signed(organisation=organisation, version=version)
    signature = _signature_create_once(
        organisation=organisation,
        version=version,
        signer=registered_by,
        signer_name=decision_body.strip(),
        kind=SignatureKind.DECISION,
        decision_body=decision_body.strip(),
        decision_date=decision_date,
        decision_reference=decision_reference.strip(),
        signed_at=timezone.now(),
    )
    audit_record(
        actor=registered_by,
        action="signature.decision_registered",
        obj=signature,
        data={"organisation": organisation.name, "reference": decision_reference.strip()},
    )
    return signature
