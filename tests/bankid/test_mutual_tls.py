"""Mutual TLS: the adapter presents the relying party's certificate and trusts only the CA
it is given; the simulator over HTTPS refuses a client without a certificate."""

from __future__ import annotations

import datetime
import ipaddress

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from lov_portal.bankid.client import BankIDClient, BankIDError, bankid_client

from .conftest import serve


def _name(cn: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])


def _certificate(subject, key, issuer, issuer_key, *, ca=False, server=False):
    now = datetime.datetime.now(datetime.UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name(subject))
        .issuer_name(_name(issuer))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
    )
    if server:
        builder = builder.add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
    return builder.sign(issuer_key, hashes.SHA256())


def _write(path, cert, key=None):
    path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    if key is not None:
        key_path = path.with_suffix(".key")
        key_path.write_bytes(
            key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )
        return str(path), str(key_path)
    return str(path)


@pytest.fixture
def pki(tmp_path):
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = _certificate("Test BankID CA", ca_key, "Test BankID CA", ca_key, ca=True)
    server_key = ec.generate_private_key(ec.SECP256R1())
    server = _certificate("127.0.0.1", server_key, "Test BankID CA", ca_key, server=True)
    rp_key = ec.generate_private_key(ec.SECP256R1())
    rp = _certificate("LÖV-portalen RP", rp_key, "Test BankID CA", ca_key)
    return {
        "ca": _write(tmp_path / "ca.pem", ca),
        "server": _write(tmp_path / "server.pem", server, server_key),
        "rp": _write(tmp_path / "rp.pem", rp, rp_key),
    }


@pytest.fixture
def https_url(simulator, pki):
    certfile, keyfile = pki["server"]
    server, thread, port = serve(simulator, certfile=certfile, keyfile=keyfile, client_ca=pki["ca"])
    yield f"https://127.0.0.1:{port}/rp/v6.0/"
    server.shutdown()
    server.server_close()
    thread.join(5)


def test_the_adapter_signs_over_mutual_tls_from_settings(https_url, pki, settings):
    settings.LOV_BANKID_URL = https_url
    settings.LOV_BANKID_CERT, settings.LOV_BANKID_KEY = pki["rp"]
    settings.LOV_BANKID_CA = pki["ca"]
    client = bankid_client()
    order = client.sign(end_user_ip="192.0.2.1", user_visible_data="Hej")
    assert client.collect(order.order_ref).pending


def test_without_a_client_certificate_the_service_refuses(https_url, pki):
    client = BankIDClient(https_url, ca=pki["ca"], timeout=5)
    with pytest.raises(BankIDError) as error:
        client.sign(end_user_ip="192.0.2.1", user_visible_data="Hej")
    assert error.value.error_code == "unreachable"


def test_a_server_outside_the_given_ca_is_not_trusted(https_url, pki, tmp_path):
    other_key = ec.generate_private_key(ec.SECP256R1())
    other = _certificate("Other CA", other_key, "Other CA", other_key, ca=True)
    cert, key = pki["rp"]
    client = BankIDClient(
        https_url, cert=cert, key=key, ca=_write(tmp_path / "other.pem", other), timeout=5
    )
    with pytest.raises(BankIDError) as error:
        client.sign(end_user_ip="192.0.2.1", user_visible_data="Hej")
    assert "CERTIFICATE_VERIFY_FAILED" in error.value.details
