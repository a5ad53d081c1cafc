"""Checking BankID's signature and OCSP response on `complete` (lov_portal.bankid.verify),
against orders the simulator completes with its CA: a valid one passes; tampered XML, another
CA, data other than what was sent, a revoked certificate and a foreign OCSP answer do not."""

from __future__ import annotations

import base64
import json

import pytest
from cryptography.hazmat.primitives import serialization

from lov_portal.bankid.client import encode
from lov_portal.bankid.simulator import Simulator, SimulatorCA
from lov_portal.bankid.verify import SignatureInvalid, trusted_cas, verify_completion

VISIBLE = "# Underskrift\n\nFöreningen undertecknar."
NON_VISIBLE = '{"organisation_number":"802000-0000","text_sha256":"ab12"}'
PNO = "198507099805"


@pytest.fixture(scope="module")
def other_ca() -> SimulatorCA:
    return SimulatorCA.generate("Another CA")


def completed(simulator: Simulator, *, visible=VISIBLE, non_visible=NON_VISIBLE) -> dict:
    body = {"endUserIp": "192.0.2.1", "userVisibleData": encode(visible)}
    if non_visible:
        body["userNonVisibleData"] = encode(non_visible)
    status, answer = simulator.handle(
        "/rp/v6.0/sign", "POST", "application/json", json.dumps(body).encode()
    )
    assert status == 200, answer
    simulator.approve(answer["orderRef"], personal_number=PNO, name="Per Persson")
    return dict(simulator.orders[answer["orderRef"]].completion_data)


def verify(data: dict, ca: SimulatorCA, **kwargs):
    kwargs.setdefault("user_visible_data", VISIBLE)
    kwargs.setdefault("user_non_visible_data", NON_VISIBLE)
    return verify_completion(data, trusted=[ca.certificate], **kwargs)


def xml_of(data: dict) -> str:
    return base64.b64decode(data["signature"]).decode()


def with_xml(data: dict, xml: str) -> dict:
    return {**data, "signature": base64.b64encode(xml.encode()).decode()}


def refused(data: dict, ca: SimulatorCA, reason: str, **kwargs) -> None:
    with pytest.raises(SignatureInvalid) as caught:
        verify(data, ca, **kwargs)
    assert reason in caught.value.reason


def test_a_valid_signature_passes(simulator):
    data = completed(simulator)
    verified = verify(data, simulator.ca)
    assert verified.personal_number == PNO
    assert verified.user_non_visible_data == encode(NON_VISIBLE)
    xml = xml_of(data)
    for part in ("<bankIdSignedData", "<usrVisibleData", "<usrNonVisibleData", "<srvInfo>"):
        assert part in xml
    assert 'URI="#bidSignedData"' in xml and 'URI="#bidKeyInfo"' in xml


def test_the_trusted_ca_comes_from_the_setting_as_pem_or_a_file(simulator, settings, tmp_path):
    pem = simulator.ca.certificate.public_bytes(serialization.Encoding.PEM)
    settings.LOV_BANKID_SIGNATURE_CA = pem.decode()
    assert trusted_cas() == [simulator.ca.certificate]
    (tmp_path / "ca.pem").write_bytes(pem)
    settings.LOV_BANKID_SIGNATURE_CA = str(tmp_path / "ca.pem")
    data = completed(simulator)
    assert (
        verify_completion(
            data, user_visible_data=VISIBLE, user_non_visible_data=NON_VISIBLE
        ).personal_number
        == PNO
    )
    settings.LOV_BANKID_SIGNATURE_CA = ""
    with pytest.raises(SignatureInvalid, match="no CA is configured"):
        verify_completion(data, user_visible_data=VISIBLE, user_non_visible_data=NON_VISIBLE)


def test_tampered_signed_data_is_refused(simulator):
    data = completed(simulator)
    xml = xml_of(data).replace(encode(NON_VISIBLE), encode(NON_VISIBLE.replace("ab12", "cd34")))
    refused(
        with_xml(data, xml), simulator.ca, "digest of #bidSignedData", user_non_visible_data=None
    )


def test_a_tampered_signature_value_is_refused(simulator):
    data = completed(simulator)
    xml = xml_of(data)
    start = xml.index("<SignatureValue>") + len("<SignatureValue>")
    flipped = "A" if xml[start] != "A" else "B"
    refused(
        with_xml(data, xml[:start] + flipped + xml[start + 1 :]), simulator.ca, "signature value"
    )


def test_a_second_signed_data_element_is_refused(simulator):
    data = completed(simulator)
    xml = xml_of(data)
    forged = (
        '<Object><bankIdSignedData xmlns="http://www.bankid.com/signature/v1.0.0/types" '
        'Id="bidSignedData"/></Object>'
    )
    refused(
        with_xml(data, xml.replace("</Signature>", forged + "</Signature>")),
        simulator.ca,
        "expected one",
    )


def test_malformed_xml_and_entities_are_refused(simulator):
    data = completed(simulator)
    refused(with_xml(data, "<Signature"), simulator.ca, "not well-formed")
    bomb = '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY e SYSTEM "file:///etc/passwd">]><d>&e;</d>'
    refused(with_xml(data, bomb), simulator.ca, "not ds:Signature")
    refused({**data, "signature": "not base64!"}, simulator.ca, "not base64")


def test_another_ca_is_refused(simulator, other_ca):
    refused(completed(simulator), other_ca, "does not chain to the trusted CA")


@pytest.mark.parametrize(
    ("kwargs", "reason"),
    [
        ({"user_non_visible_data": '{"text_sha256":"other"}'}, "usrNonVisibleData differs"),
        ({"user_visible_data": "Något annat"}, "usrVisibleData differs"),
        ({"user_non_visible_data": ""}, "usrNonVisibleData differs"),
    ],
)
def test_data_other_than_what_was_sent_is_refused(simulator, kwargs, reason):
    refused(completed(simulator), simulator.ca, reason, **kwargs)


def test_a_personal_number_other_than_the_certificates_is_refused(simulator):
    data = completed(simulator)
    data["user"] = {**data["user"], "personalNumber": "199001019802"}
    refused(data, simulator.ca, "personalNumber is not the certificate's")


def test_a_revoked_certificate_is_refused(clock):
    ca = SimulatorCA.generate()
    simulator = Simulator(clock=clock, ca=ca)
    _key, certificate = ca.person(PNO, "Per Persson")
    ca.revoke(certificate)
    refused(completed(simulator), ca, "OCSP: the certificate is REVOKED")


def test_an_ocsp_answer_signed_by_another_ca_is_refused(simulator, other_ca):
    data = completed(simulator)
    _key, certificate = simulator.ca.person(PNO, "Per Persson")
    foreign = other_ca.ocsp_response(certificate)
    data["ocspResponse"] = base64.b64encode(foreign).decode()
    refused(data, simulator.ca, "not signed by the CA or its responder")


def test_an_ocsp_answer_about_another_certificate_is_refused(simulator):
    data = completed(simulator)
    _key, someone_else = simulator.ca.person("199001019802", "Testa Testsson")
    data["ocspResponse"] = base64.b64encode(simulator.ca.ocsp_response(someone_else)).decode()
    refused(data, simulator.ca, "about another certificate")


def test_a_missing_or_broken_ocsp_response_is_refused(simulator):
    data = completed(simulator)
    refused({**data, "ocspResponse": ""}, simulator.ca, "no ocspResponse")
    refused(
        {**data, "ocspResponse": base64.b64encode(b"nope").decode()}, simulator.ca, "cannot be read"
    )


def test_an_ocsp_answer_fetched_minutes_ago_still_passes_and_an_hour_old_one_does_not(simulator):
    """BankID fetches the OCSP answer at signing: a few minutes' age (and clock skew) is fine,
    an answer older than OCSP_MAX_AGE plus the skew is not, whatever its nextUpdate says."""
    import datetime

    from lov_portal.bankid.verify import CLOCK_SKEW, OCSP_MAX_AGE
    from tests.security.test_attack_s22 import PNO, _completed, _ocsp, _verify

    data = _completed(simulator)
    _key, certificate = simulator.ca.person(PNO, "Per Persson")
    now = datetime.datetime.now(datetime.UTC)
    data["ocspResponse"] = _ocsp(
        simulator.ca, certificate, this_update=now - OCSP_MAX_AGE - CLOCK_SKEW / 2
    )
    assert _verify(data, simulator.ca).personal_number == PNO
    data["ocspResponse"] = _ocsp(simulator.ca, certificate, this_update=now - 4 * OCSP_MAX_AGE)
    with pytest.raises(SignatureInvalid, match="too old"):
        _verify(data, simulator.ca)
