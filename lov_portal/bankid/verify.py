"""Checking what BankID returns on `complete` before the portal relies on it: the XML
signature (XMLDSig, BankID's signature profile), the signer's certificate chain up to the CA
the settings trust (`LOV_BANKID_SIGNATURE_CA`), the signed data against what the portal sent,
and the OCSP response (signed by the CA or its responder, "good", about the signer's
certificate).

`verify_completion` raises `SignatureInvalid` with a reason (for the log, in English) on the
first thing that does not hold; the caller then records nothing and tells the person.

The parser resolves no entities and fetches nothing. Each reference must point at exactly
one element with that Id, at the place BankID puts it (`Signature/Object/bankIdSignedData`,
`Signature/KeyInfo`), and the data the portal reads is read from those very elements, so a
signature cannot vouch for one element while the portal reads another.

Over 400 lines, kept as one module: the checks form one chain read top to bottom against
BankID's signature profile, and every step depends on what the one before established.
"""

from __future__ import annotations

import base64
import binascii
import datetime
import hashlib
import hmac
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.x509 import ocsp
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from django.conf import settings
from lxml import etree

from .client import encode

DSIG = "http://www.w3.org/2000/09/xmldsig#"
BANKID_TYPES = "http://www.bankid.com/signature/v1.0.0/types"
C14N = "http://www.w3.org/TR/2001/REC-xml-c14n-20010315"
C14N_ALGORITHMS = {C14N: False, "http://www.w3.org/2001/10/xml-exc-c14n#": True}
SIGNATURE_METHODS = {
    "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256": hashes.SHA256,
    "http://www.w3.org/2001/04/xmldsig-more#rsa-sha512": hashes.SHA512,
    "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256": hashes.SHA256,
}
DIGEST_METHODS = {
    "http://www.w3.org/2001/04/xmlenc#sha256": hashlib.sha256,
    "http://www.w3.org/2001/04/xmlenc#sha512": hashlib.sha512,
}
NS = {"ds": DSIG, "b": BANKID_TYPES}
# Clocks differ: the OCSP answer may be a little in the future.
CLOCK_SKEW = datetime.timedelta(minutes=5)
# BankID fetches the OCSP answer when the person signs, so a "good" answer about the signer
# is minutes old at most; an older one may predate a revocation (plus CLOCK_SKEW).
OCSP_MAX_AGE = datetime.timedelta(minutes=10)
MAX_CHAIN = 6


class SignatureInvalid(Exception):
    """BankID's answer does not hold; `reason` says why (for the log)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class VerifiedSignature:
    personal_number: str
    certificate: x509.Certificate
    user_visible_data: str
    user_non_visible_data: str


def trusted_cas(value: str | None = None) -> list[x509.Certificate]:
    """The CA certificates `LOV_BANKID_SIGNATURE_CA` names: PEM text or a PEM file's path."""
    value = (getattr(settings, "LOV_BANKID_SIGNATURE_CA", "") if value is None else value) or ""
    if not value.strip():
        return []
    if value.lstrip().startswith("-----BEGIN"):
        pem = value.encode("ascii")
    else:
        try:
            pem = Path(value).read_bytes()
        except OSError:
            return []
    try:
        return x509.load_pem_x509_certificates(pem)
    except ValueError:
        return []


def verify_completion(
    completion_data: dict[str, Any],
    *,
    user_visible_data: str | None,
    user_non_visible_data: str | None,
    trusted: list[x509.Certificate] | None = None,
    now: datetime.datetime | None = None,
) -> VerifiedSignature:
    """Check a completed order's signature and OCSP response. `user_visible_data` and
    `user_non_visible_data` are the texts the portal sent (None: not checked; "": none was
    sent, so the signature must have none)."""
    trusted = trusted_cas() if trusted is None else trusted
    if not trusted:
        raise SignatureInvalid("no CA is configured (LOV_BANKID_SIGNATURE_CA)")
    now = now or datetime.datetime.now(datetime.UTC)
    root = _parse(completion_data.get("signature"))
    signed_data, key_info = _check_references(root)
    chain = _certificates(key_info)
    signer = chain[0]
    _check_signature_value(root, signer)
    issuer = _check_chain(chain, trusted, now)
    visible = _text(signed_data, "b:usrVisibleData")
    non_visible = _text(signed_data, "b:usrNonVisibleData")
    if user_visible_data is not None and visible != _sent(user_visible_data):
        raise SignatureInvalid("usrVisibleData differs from what was sent")
    if user_non_visible_data is not None and non_visible != _sent(user_non_visible_data):
        raise SignatureInvalid("usrNonVisibleData differs from what was sent")
    if signed_data.find("b:srvInfo", NS) is None:
        raise SignatureInvalid("no srvInfo in bankIdSignedData")
    personal_number = _personal_number(signer)
    user = completion_data.get("user") or {}
    if not hmac.compare_digest(str(user.get("personalNumber") or ""), personal_number):
        raise SignatureInvalid("the user's personalNumber is not the certificate's")
    _check_ocsp(completion_data.get("ocspResponse"), signer, issuer, now)
    return VerifiedSignature(
        personal_number=personal_number,
        certificate=signer,
        user_visible_data=visible,
        user_non_visible_data=non_visible,
    )


# --- the XML signature -----------------------------------------------------------------------


def _b64decode(value: Any, what: str) -> bytes:
    if not isinstance(value, str) or not value:
        raise SignatureInvalid(f"no {what}")
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise SignatureInvalid(f"{what} is not base64") from None


def _parse(signature: Any) -> etree._Element:
    raw = _b64decode(signature, "signature")
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, dtd_validation=False, load_dtd=False
    )
    try:
        root = etree.fromstring(raw, parser)
    except etree.XMLSyntaxError:
        raise SignatureInvalid("the signature is not well-formed XML") from None
    if root.tag != f"{{{DSIG}}}Signature":
        raise SignatureInvalid("the signature's root is not ds:Signature")
    return root


def _c14n(element: etree._Element, algorithm: str) -> bytes:
    if algorithm not in C14N_ALGORITHMS:
        raise SignatureInvalid(f"unsupported canonicalisation {algorithm!r}")
    return etree.tostring(
        element, method="c14n", exclusive=C14N_ALGORITHMS[algorithm], with_comments=False
    )


def _only(root: etree._Element, path: str, what: str) -> etree._Element:
    found = root.findall(path, NS)
    if len(found) != 1:
        raise SignatureInvalid(f"expected one {what}, found {len(found)}")
    return found[0]


def _check_references(root: etree._Element) -> tuple[etree._Element, etree._Element]:
    signed_info = _only(root, "ds:SignedInfo", "SignedInfo")
    signed_data = _only(root, "ds:Object/b:bankIdSignedData", "bankIdSignedData")
    key_info = _only(root, "ds:KeyInfo", "KeyInfo")
    targets = {"#bidSignedData": signed_data, "#bidKeyInfo": key_info}
    references = signed_info.findall("ds:Reference", NS)
    if sorted(r.get("URI", "") for r in references) != sorted(targets):
        raise SignatureInvalid("the references are not #bidSignedData and #bidKeyInfo")
    for reference in references:
        uri = reference.get("URI", "")
        with_id = root.xpath("//*[@Id=$id]", id=uri[1:])
        if len(with_id) != 1 or with_id[0] is not targets[uri]:
            raise SignatureInvalid(f"{uri} does not name exactly the expected element")
        transforms = [
            t.get("Algorithm") for t in reference.findall("ds:Transforms/ds:Transform", NS)
        ]
        if len(transforms) > 1 or any(t not in C14N_ALGORITHMS for t in transforms):
            raise SignatureInvalid(f"unsupported transforms for {uri}")
        digest_method = _only(reference, "ds:DigestMethod", "DigestMethod").get("Algorithm")
        if digest_method not in DIGEST_METHODS:
            raise SignatureInvalid(f"unsupported digest {digest_method!r}")
        canonical = _c14n(targets[uri], transforms[0] if transforms else C14N)
        digest = base64.b64encode(DIGEST_METHODS[digest_method](canonical).digest()).decode()
        expected = (_only(reference, "ds:DigestValue", "DigestValue").text or "").strip()
        if not hmac.compare_digest(digest, expected):
            raise SignatureInvalid(f"the digest of {uri} does not match")
    return signed_data, key_info


def _certificates(key_info: etree._Element) -> list[x509.Certificate]:
    chain = []
    for element in key_info.findall("ds:X509Data/ds:X509Certificate", NS):
        der = _b64decode("".join((element.text or "").split()), "X509Certificate")
        try:
            chain.append(x509.load_der_x509_certificate(der))
        except ValueError:
            raise SignatureInvalid("an X509Certificate is not a certificate") from None
    if not chain:
        raise SignatureInvalid("no signer certificate in KeyInfo")
    return chain


def _verify(public_key: Any, signature: bytes, data: bytes, algorithm: hashes.HashAlgorithm):
    if isinstance(public_key, rsa.RSAPublicKey):
        public_key.verify(signature, data, padding.PKCS1v15(), algorithm)
    elif isinstance(public_key, ec.EllipticCurvePublicKey):
        public_key.verify(signature, data, ec.ECDSA(algorithm))
    else:
        raise SignatureInvalid("unsupported public key type")


def _check_signature_value(root: etree._Element, signer: x509.Certificate) -> None:
    signed_info = _only(root, "ds:SignedInfo", "SignedInfo")
    c14n_method = _only(signed_info, "ds:CanonicalizationMethod", "CanonicalizationMethod")
    method = _only(signed_info, "ds:SignatureMethod", "SignatureMethod").get("Algorithm")
    if method not in SIGNATURE_METHODS:
        raise SignatureInvalid(f"unsupported signature method {method!r}")
    value = _b64decode(
        "".join((_only(root, "ds:SignatureValue", "SignatureValue").text or "").split()),
        "SignatureValue",
    )
    canonical = _c14n(signed_info, c14n_method.get("Algorithm", ""))
    try:
        _verify(signer.public_key(), value, canonical, SIGNATURE_METHODS[method]())
    except InvalidSignature:
        raise SignatureInvalid("the signature value does not verify") from None


def _check_chain(
    chain: list[x509.Certificate], trusted: list[x509.Certificate], now: datetime.datetime
) -> x509.Certificate:
    """Walk from the signer up to a trusted CA; returns the signer's issuer."""
    trusted_der = {c.public_bytes(serialization.Encoding.DER) for c in trusted}
    pool = chain[1:] + trusted
    current, signer_issuer = chain[0], None
    for _ in range(MAX_CHAIN):
        _check_validity(current, now, signer=current is chain[0])
        issuer = _issuer_of(current, pool)
        if issuer is None:
            raise SignatureInvalid("the signer's certificate does not chain to the trusted CA")
        _require_ca(issuer)
        signer_issuer = signer_issuer or issuer
        der = issuer.public_bytes(serialization.Encoding.DER)
        if der in trusted_der:
            _check_validity(issuer, now)
            return signer_issuer
        if der == current.public_bytes(serialization.Encoding.DER):  # an untrusted root
            raise SignatureInvalid("the signer's certificate does not chain to the trusted CA")
        current = issuer
    raise SignatureInvalid("the certificate chain is too long")


def _check_validity(
    certificate: x509.Certificate, now: datetime.datetime, *, signer: bool = False
) -> None:
    """The reason names the certificate by its subject, except the signer's: that subject
    holds the person's name and personal identity number, and the reason is logged."""
    if not certificate.not_valid_before_utc <= now <= certificate.not_valid_after_utc:
        subject = certificate.subject.rfc4514_string()
        what = "the signer's certificate" if signer else f"the certificate {subject}"
        raise SignatureInvalid(f"{what} is not valid now")


def _issuer_of(certificate: x509.Certificate, pool: list[x509.Certificate]):
    for candidate in pool:
        if candidate.subject != certificate.issuer:
            continue
        try:
            certificate.verify_directly_issued_by(candidate)
        except (ValueError, TypeError, InvalidSignature):
            continue
        return candidate
    return None


def _require_ca(certificate: x509.Certificate) -> None:
    try:
        constraints = certificate.extensions.get_extension_for_class(x509.BasicConstraints)
    except x509.ExtensionNotFound:
        raise SignatureInvalid("an issuing certificate is not a CA") from None
    if not constraints.value.ca:
        raise SignatureInvalid("an issuing certificate is not a CA")


def _text(element: etree._Element, path: str) -> str:
    """The whole text of the one element at `path` ("" if there is none). The digest covers
    the element's canonical text (C14N drops comments), while `.text` stops at the first child
    node: an element with any child (a comment, a processing instruction, an element) is
    refused, and the text read must be the canonical text, so the portal reads what was
    signed."""
    found = element.findall(path, NS)
    if len(found) > 1:
        raise SignatureInvalid(f"more than one {path}")
    if not found:
        return ""
    (node,) = found
    if len(node):
        raise SignatureInvalid(f"{path} has child nodes")
    text = node.text or ""
    if node.xpath("string()") != text:  # the whole text content, as the digest covered it
        raise SignatureInvalid(f"{path}'s text is not the signed text")
    return text.strip()


def _sent(text: str) -> str:
    return encode(text) if text else ""


def _personal_number(certificate: x509.Certificate) -> str:
    numbers = certificate.subject.get_attributes_for_oid(NameOID.SERIAL_NUMBER)
    if len(numbers) != 1:
        raise SignatureInvalid("the signer's certificate names no personal identity number")
    return str(numbers[0].value)


# --- the OCSP response ------------------------------------------------------------------------


def _check_ocsp(
    value: Any, signer: x509.Certificate, issuer: x509.Certificate, now: datetime.datetime
) -> None:
    try:
        response = ocsp.load_der_ocsp_response(_b64decode(value, "ocspResponse"))
    except ValueError:
        raise SignatureInvalid("the OCSP response cannot be read") from None
    if response.response_status != ocsp.OCSPResponseStatus.SUCCESSFUL:
        raise SignatureInvalid(f"the OCSP response says {response.response_status.name}")
    responder = _responder(response, issuer)
    if responder is not issuer:
        _check_validity(responder, now)
    try:
        _verify(
            responder.public_key(),
            response.signature,
            response.tbs_response_bytes,
            response.signature_hash_algorithm,
        )
    except (InvalidSignature, TypeError):
        raise SignatureInvalid("the OCSP response's signature does not verify") from None
    singles = list(response.responses)
    if len(singles) != 1:
        raise SignatureInvalid("the OCSP response is not about one certificate")
    single = singles[0]
    expected = (
        ocsp.OCSPRequestBuilder().add_certificate(signer, issuer, single.hash_algorithm).build()
    )
    if (
        single.serial_number != signer.serial_number
        or single.issuer_key_hash != expected.issuer_key_hash
        or single.issuer_name_hash != expected.issuer_name_hash
    ):
        raise SignatureInvalid("the OCSP response is about another certificate")
    if single.certificate_status != ocsp.OCSPCertStatus.GOOD:
        raise SignatureInvalid(f"OCSP: the certificate is {single.certificate_status.name}")
    if single.this_update_utc > now + CLOCK_SKEW:
        raise SignatureInvalid("the OCSP response is from the future")
    if single.next_update_utc is not None and single.next_update_utc < now - CLOCK_SKEW:
        raise SignatureInvalid("the OCSP response is out of date")
    if single.this_update_utc < now - OCSP_MAX_AGE - CLOCK_SKEW:
        raise SignatureInvalid("the OCSP response is too old (not fetched at signing)")


def _responder(response: ocsp.OCSPResponse, issuer: x509.Certificate) -> x509.Certificate:
    """The certificate that signed the OCSP response: the issuing CA itself, or a responder
    it delegated to (issued by it, with the OCSP-signing purpose)."""
    candidates = [issuer, *response.certificates]
    for candidate in candidates:
        if not _names_responder(response, candidate):
            continue
        if candidate is issuer:
            return issuer
        try:
            candidate.verify_directly_issued_by(issuer)
            usage = candidate.extensions.get_extension_for_class(x509.ExtendedKeyUsage)
        except (ValueError, TypeError, InvalidSignature, x509.ExtensionNotFound):
            continue
        if ExtendedKeyUsageOID.OCSP_SIGNING in usage.value:
            return candidate
    raise SignatureInvalid("the OCSP response is not signed by the CA or its responder")


def _names_responder(response: ocsp.OCSPResponse, certificate: x509.Certificate) -> bool:
    if response.responder_name is not None:
        return response.responder_name == certificate.subject
    key_hash = x509.SubjectKeyIdentifier.from_public_key(certificate.public_key()).digest
    return response.responder_key_hash == key_hash
