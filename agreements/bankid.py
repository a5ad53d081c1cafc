"""Signing the agreement with BankID: what the signer is shown and what the order carries.

The order's state between the page and the polls lives in the server-side session
(`SESSION_KEY`): the qrStartSecret must never reach the browser, and a session belongs to the
person who started the order, so nobody else can collect it.

Whoever scans the QR code signs, and the signature is theirs (BankID's name and personal
identity number). When the logged-in signatory has linked their own BankID to the account, a
signature with any other BankID is refused (`signed_by_account_holder`), as identification is
(decision 95).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings

from lov_portal.accounts.bankid import is_same_person, linked_bankid
from lov_portal.bankid.client import (
    BankIDClient,
    Collect,
    bankid_client,
    bankid_configured,
    markdown_escape,
)
from lov_portal.bankid.session import order_drop, order_keep, order_read
from lov_portal.bankid.verify import VerifiedSignature, verify_completion
from organisations.models import Organisation
from tools.lov_verify import canonical_json

from .models import AgreementVersion, SignatureMethod

SESSION_KEY = "lov_bankid_sign"


def signing_methods() -> list[str]:
    """The online signing methods offered, in order: BankID only when it is configured."""
    methods = [m for m in getattr(settings, "LOV_SIGNING_METHODS", ["password"]) if m]
    return [
        m
        for m in methods
        if m == SignatureMethod.PASSWORD or (m == SignatureMethod.BANKID and bankid_configured())
    ]


def user_visible_data(*, organisation: Organisation, version: AgreementVersion) -> str:
    """What the BankID app shows (simpleMarkdownV1): the agreement, version, organisation and
    its number. Always in Swedish: it is the text of the signature itself."""
    agreement = markdown_escape(version.agreement.name)
    name = markdown_escape(organisation.name)
    number = markdown_escape(organisation.organisation_number)
    return (
        f"# Underskrift av {agreement}\n\n"
        f"**{name}** (organisationsnummer {number}) undertecknar *{agreement}*, "
        f"version {version.number}.\n\n"
        f"Jag intygar att jag är behörig att underteckna för organisationen.\n\n"
        f"Textens SHA\\-256: {version.text_sha256}"
    )


def user_non_visible_data(*, organisation: Organisation, version: AgreementVersion) -> str:
    """What the signature also covers without showing it: the text's SHA-256 and the
    organisation number (canonical JSON)."""
    return canonical_json(
        {
            "agreement": version.agreement.slug,
            "organisation_number": organisation.organisation_number,
            "text_sha256": version.text_sha256,
            "version": version.number,
        }
    ).decode("utf-8")


@dataclass
class PendingOrder:
    order_ref: str
    auto_start_token: str
    qr_start_token: str
    qr_start_secret: str
    started_at: float
    organisation: str
    version: int
    non_visible: str
    signer_title: str
    authority_basis: str
    authority_reference: str


def order_start(
    *,
    organisation: Organisation,
    version: AgreementVersion,
    end_user_ip: str,
    signer_title: str,
    authority_basis: str,
    authority_reference: str,
    client: BankIDClient | None = None,
) -> PendingOrder:
    """Start a BankID sign order (raises BankIDError); the caller keeps it in the session."""
    non_visible = user_non_visible_data(organisation=organisation, version=version)
    order = (client or bankid_client()).sign(
        end_user_ip=end_user_ip,
        user_visible_data=user_visible_data(organisation=organisation, version=version),
        user_non_visible_data=non_visible,
    )
    return PendingOrder(
        **order.started(),
        organisation=organisation.slug,
        version=version.pk,
        non_visible=non_visible,
        signer_title=signer_title,
        authority_basis=authority_basis,
        authority_reference=authority_reference,
    )


def order_save(session, order: PendingOrder) -> None:
    order_keep(session, SESSION_KEY, order)


def order_get(session, *, organisation: Organisation) -> PendingOrder | None:
    """The session's pending order, if it is for this organisation."""
    order = order_read(session, SESSION_KEY, PendingOrder)
    return order if order is not None and order.organisation == organisation.slug else None


def order_forget(session) -> None:
    order_drop(session, SESSION_KEY, None)


def order_cancel(session, *, organisation: Organisation, client: BankIDClient | None = None):
    order_drop(session, SESSION_KEY, order_get(session, organisation=organisation), client)


def completion_verified(
    result: Collect, order: PendingOrder, *, organisation: Organisation, version: AgreementVersion
) -> VerifiedSignature:
    """BankID's signature of this order, checked (raises SignatureInvalid): signed by a
    certificate of the trusted CA, over the very text shown and the data this order sent
    (not another order's), with a good OCSP answer about that certificate."""
    return verify_completion(
        result.completion_data,
        user_visible_data=user_visible_data(organisation=organisation, version=version),
        user_non_visible_data=order.non_visible,
    )


def signed_by_account_holder(user: Any, verified: VerifiedSignature) -> bool:
    """Whether the verified signature may stand as the signing of `user`, who started the
    order: made with the BankID linked to their account, or, with none linked, by anyone (the
    signature is then in the name of the BankID holder, as the signing page says)."""
    link = linked_bankid(user)
    return link is None or is_same_person(link, verified.personal_number)
