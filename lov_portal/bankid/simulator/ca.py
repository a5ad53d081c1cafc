"""The simulator's throwaway certificate authority: it issues each test person a BankID-like
certificate, signs the completed order's XML signature with it (XMLDSig, the structure BankID
documents) and answers for the certificate's status with a real OCSP response.

The CA is made at start-up (RSA 2048, valid for ten years, "BankID Simulator CA - NOT
REAL"), or loaded from a directory so that a restarted simulator keeps the CA the portal was
told to trust (`manage.py bankid_simulator` keeps it in var/bankid-simulator/). Nothing it
signs is worth anything outside development and tests.

The signature is BankID's shape: `<Signature>` (xmldsig) with a `SignedInfo` of two
references, `#bidSignedData` (the `bankIdSignedData` element: usrVisibleData,
usrNonVisibleData, srvInfo, env) and `#bidKeyInfo` (the `KeyInfo` with the signer's
certificate chain), each canonicalised (C14N 1.0) and hashed with SHA-256; the signature value
is RSA-SHA256 over the canonical `SignedInfo`.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import secrets
import threading
from pathlib import Path
from xml.sax.saxutils import escape  # nosec B406 - writes XML, never parses it

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509.ocsp import OCSPCertStatus, OCSPResponseBuilder
from cryptography.x509.oid import NameOID
from lxml import etree

from lov_portal.core.certificates import private_key_pem, self_signed

DSIG = "http://www.w3.org/2000/09/xmldsig#"
BANKID_TYPES = "http://www.bankid.com/signature/v1.0.0/types"
C14N = "http://www.w3.org/TR/2001/REC-xml-c14n-20010315"
RSA_SHA256 = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"
SHA256 = "http://www.w3.org/2001/04/xmlenc#sha256"
CA_NAME = "BankID Simulator CA - NOT REAL"
# The relying party's name as the app shows it (base64, as BankID writes it).
DISPLAY_NAME = base64.b64encode("LÖV-portalen".encode()).decode()
PARSER = etree.XMLParser(resolve_entities=False, no_network=True, remove_blank_text=False)


def c14n(element: etree._Element) -> bytes:
    """C14N 1.0 (inclusive, without comments) of an element, as the signer and verifier use."""
    return etree.tostring(element, method="c14n", exclusive=False, with_comments=False)


def _now() -> datetime.datetime:
    return datetime.datetime.now(datetime.UTC)


class SimulatorCA:
    """A CA key and certificate, and the certificates it issued (one per personal number)."""

    def __init__(self, key: rsa.RSAPrivateKey, certificate: x509.Certificate) -> None:
        self.key = key
        self.certificate = certificate
        self.revoked: set[int] = set()
        self._people: dict[str, tuple[rsa.RSAPrivateKey, x509.Certificate]] = {}
        self._lock = threading.Lock()

    # --- making and keeping the CA ------------------------------------------------------

    @classmethod
    def generate(cls, name: str = CA_NAME) -> SimulatorCA:
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        subject = x509.Name(
            [
                x509.NameAttribute(NameOID.COUNTRY_NAME, "SE"),
                x509.NameAttribute(NameOID.ORGANIZATION_NAME, "LÖV-portalen development"),
                x509.NameAttribute(NameOID.COMMON_NAME, name),
            ]
        )
        now = _now()
        day = datetime.timedelta(days=1)
        certificate = (
            self_signed(key, subject, now=now, backdated=day, valid_for=3650 * day)
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(_key_usage(ca=True), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False)
            .sign(key, hashes.SHA256())
        )
        return cls(key, certificate)

    @classmethod
    def load_or_generate(cls, directory: Path) -> SimulatorCA:
        """The CA kept in `directory` (ca.pem, ca-key.pem), made and written there if absent."""
        cert_path, key_path = directory / "ca.pem", directory / "ca-key.pem"
        if cert_path.exists() and key_path.exists():
            certificate = x509.load_pem_x509_certificate(cert_path.read_bytes())
            key = serialization.load_pem_private_key(key_path.read_bytes(), password=None)
            if isinstance(key, rsa.RSAPrivateKey) and certificate.not_valid_after_utc > _now():
                return cls(key, certificate)
        ca = cls.generate()
        directory.mkdir(parents=True, exist_ok=True)
        key_path.touch(mode=0o600)
        key_path.write_bytes(private_key_pem(ca.key))
        cert_path.write_bytes(ca.certificate_pem())
        return ca

    def certificate_pem(self) -> bytes:
        return self.certificate.public_bytes(serialization.Encoding.PEM)

    # --- the people it issues certificates to --------------------------------------------

    def person(self, personal_number: str, name: str) -> tuple[rsa.RSAPrivateKey, x509.Certificate]:
        """The key and certificate of this person's BankID (the personal identity number is
        the subject's serialNumber, as in BankID's certificates)."""
        with self._lock:
            found = self._people.get(personal_number)
            if found is None:
                found = self._people[personal_number] = self._issue(personal_number, name)
            return found

    def _issue(self, personal_number: str, name: str) -> tuple[rsa.RSAPrivateKey, x509.Certificate]:
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        given, _, surname = name.partition(" ")
        attributes = [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "SE"),
            x509.NameAttribute(NameOID.SURNAME, surname or given),
            x509.NameAttribute(NameOID.GIVEN_NAME, given),
            x509.NameAttribute(NameOID.SERIAL_NUMBER, personal_number),
            x509.NameAttribute(NameOID.COMMON_NAME, name),
        ]
        now = _now()
        certificate = (
            x509.CertificateBuilder()
            .subject_name(x509.Name(attributes))
            .issuer_name(self.certificate.subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=730))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(_key_usage(ca=False), critical=True)
            .sign(self.key, hashes.SHA256())
        )
        return key, certificate

    def revoke(self, certificate: x509.Certificate) -> None:
        """OCSP answers "revoked" for this certificate from now on."""
        with self._lock:
            self.revoked.add(certificate.serial_number)

    # --- what a completed order carries ---------------------------------------------------

    def signature_xml(
        self,
        *,
        personal_number: str,
        name: str,
        user_visible_data: str,
        user_non_visible_data: str,
        uhi: str,
    ) -> bytes:
        """BankID's signature of the order, really signed by this person's certificate."""
        key, certificate = self.person(personal_number, name)
        visible = (
            f'<usrVisibleData charset="UTF-8" visible="wysiwys">{escape(user_visible_data)}'
            "</usrVisibleData>"
            if user_visible_data
            else ""
        )
        non_visible = (
            f"<usrNonVisibleData>{escape(user_non_visible_data)}</usrNonVisibleData>"
            if user_non_visible_data
            else ""
        )
        server_name = base64.b64encode(b"BankID Simulator").decode()
        chain = "".join(
            f"<X509Certificate>{_der_b64(c)}</X509Certificate>"
            for c in (certificate, self.certificate)
        )
        document = (
            f'<Signature xmlns="{DSIG}">'
            "<SignedInfo>"
            f'<CanonicalizationMethod Algorithm="{C14N}"></CanonicalizationMethod>'
            f'<SignatureMethod Algorithm="{RSA_SHA256}"></SignatureMethod>'
            f'<Reference Type="{BANKID_TYPES}" URI="#bidSignedData">'
            f'<Transforms><Transform Algorithm="{C14N}"></Transform></Transforms>'
            f'<DigestMethod Algorithm="{SHA256}"></DigestMethod>'
            "<DigestValue></DigestValue></Reference>"
            '<Reference URI="#bidKeyInfo">'
            f'<Transforms><Transform Algorithm="{C14N}"></Transform></Transforms>'
            f'<DigestMethod Algorithm="{SHA256}"></DigestMethod>'
            "<DigestValue></DigestValue></Reference>"
            "</SignedInfo>"
            "<SignatureValue></SignatureValue>"
            f'<KeyInfo Id="bidKeyInfo"><X509Data>{chain}</X509Data></KeyInfo>'
            "<Object>"
            f'<bankIdSignedData xmlns="{BANKID_TYPES}" Id="bidSignedData">'
            f"{visible}{non_visible}"
            f"<srvInfo><name>{server_name}</name><nonce>{_nonce()}</nonce>"
            f"<displayName>{DISPLAY_NAME}</displayName></srvInfo>"
            "<env><ai><type>U0lNVUxBVE9S</type><deviceInfo>U2ltdWxhdG9y</deviceInfo>"
            f"<uhi>{escape(uhi)}</uhi><fsib>0</fsib><utb>cs1</utb>"
            "<requirement><condition><type>AllowedPolicies</type>"
            "<value>1.2.752.78.1.5</value></condition></requirement>"
            "<uauth>pin</uauth></ai></env>"
            "</bankIdSignedData>"
            "</Object>"
            "</Signature>"
        )
        root = etree.fromstring(document.encode("utf-8"), PARSER)
        ns = {"ds": DSIG, "b": BANKID_TYPES}
        signed_data = root.find("ds:Object/b:bankIdSignedData", ns)
        key_info = root.find("ds:KeyInfo", ns)
        digests = root.findall("ds:SignedInfo/ds:Reference/ds:DigestValue", ns)
        for digest, element in zip(digests, (signed_data, key_info), strict=True):
            digest.text = base64.b64encode(hashlib.sha256(c14n(element)).digest()).decode()
        signed_info = root.find("ds:SignedInfo", ns)
        value = key.sign(c14n(signed_info), padding.PKCS1v15(), hashes.SHA256())
        root.find("ds:SignatureValue", ns).text = base64.b64encode(value).decode()
        return b'<?xml version="1.0" encoding="UTF-8" standalone="no"?>' + etree.tostring(root)

    def ocsp_response(self, certificate: x509.Certificate) -> bytes:
        """The CA's OCSP answer (DER) for the certificate: good, or revoked if revoked."""
        now = _now()
        revoked = certificate.serial_number in self.revoked
        response = (
            OCSPResponseBuilder()
            .add_response(
                cert=certificate,
                issuer=self.certificate,
                algorithm=hashes.SHA1(),  # noqa: S303  # nosec B303 - the CertID hash OCSP uses everywhere
                cert_status=OCSPCertStatus.REVOKED if revoked else OCSPCertStatus.GOOD,
                this_update=now,
                next_update=now + datetime.timedelta(hours=1),
                revocation_time=now if revoked else None,
                revocation_reason=x509.ReasonFlags.key_compromise if revoked else None,
            )
            .responder_id(x509.ocsp.OCSPResponderEncoding.HASH, self.certificate)
            .add_extension(x509.OCSPNonce(secrets.token_bytes(16)), critical=False)
            .sign(self.key, hashes.SHA256())
        )
        return response.public_bytes(serialization.Encoding.DER)


def _key_usage(*, ca: bool) -> x509.KeyUsage:
    """A CA signs certificates and OCSP answers; a person's certificate signs (non-repudiation)."""
    return x509.KeyUsage(
        digital_signature=True,
        content_commitment=not ca,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=ca,
        crl_sign=ca,
        encipher_only=False,
        decipher_only=False,
    )


def _der_b64(certificate: x509.Certificate) -> str:
    return base64.b64encode(certificate.public_bytes(serialization.Encoding.DER)).decode()


def _nonce() -> str:
    return base64.b64encode(secrets.token_bytes(20)).decode()


_shared: SimulatorCA | None = None
_shared_lock = threading.Lock()


def shared_ca() -> SimulatorCA:
    """One CA per process, made on first use (tests start many simulators)."""
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = SimulatorCA.generate()
        return _shared
