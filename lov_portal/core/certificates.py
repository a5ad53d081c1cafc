"""Self-signed certificates made on this machine: the PDF seal's development certificate
(`core.pdf`) and the BankID simulator's CA (`bankid.simulator.ca`)."""

from __future__ import annotations

import datetime

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa


def self_signed(
    key: rsa.RSAPrivateKey,
    subject: x509.Name,
    *,
    now: datetime.datetime,
    backdated: datetime.timedelta,
    valid_for: datetime.timedelta,
) -> x509.CertificateBuilder:
    """A certificate the key issues to itself (a random serial), valid from `backdated` before
    `now` (clocks differ) for `valid_for`: the caller adds its extensions and signs it."""
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - backdated)
        .not_valid_after(now + valid_for)
    )


def private_key_pem(key: rsa.RSAPrivateKey) -> bytes:
    """The key as unencrypted PKCS #8 PEM, for a file only its owner may read."""
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
