"""The adapter reads the example answers of BankID's RP API v6.0 documentation, and the
simulator answers in the same shape (the same keys at every level)."""

from __future__ import annotations

import io
import json
import urllib.error

import pytest

from lov_portal.bankid.client import BankIDClient, BankIDError

# Shaped as the examples of developers.bankid.com ("/sign", "/collect", errors). The orderRef,
# tokens and secret are the published example's; the completionData values are illustrative
# (not checked against the page, which these machines cannot reach).
SIGN = {
    "orderRef": "131daac9-16c6-4618-beb0-365768f37288",
    "autoStartToken": "7c40b5c9-fa74-49cf-b98c-bfe651f9a7c6",
    "qrStartToken": "67df3917-fa0d-44e5-b327-edcc928297f8",
    "qrStartSecret": "d28db9a7-4cde-429e-a983-359be676944c",
}
COLLECT_PENDING = {
    "orderRef": "131daac9-16c6-4618-beb0-365768f37288",
    "status": "pending",
    "hintCode": "userSign",
}
COLLECT_FAILED = {
    "orderRef": "131daac9-16c6-4618-beb0-365768f37288",
    "status": "failed",
    "hintCode": "userCancel",
}
COLLECT_COMPLETE = {
    "orderRef": "131daac9-16c6-4618-beb0-365768f37288",
    "status": "complete",
    "completionData": {
        "user": {
            "personalNumber": "190000000000",
            "name": "Karl Karlsson",
            "givenName": "Karl",
            "surname": "Karlsson",
        },
        "device": {
            "ipAddress": "192.168.0.1",
            "uhi": "OZvYM9VvyiAmG7NA5jU5zRGcdfKYx0mAHiR8lZd3G12=",
        },
        "bankIdIssueDate": "2020-02-01",
        "signature": "PD94bWwgdmVyc2lvbj0iMS4wIj8+",
        "ocspResponse": "MIIHfgoBAKCCB3cwggdzBgkrBgEFBQcwAQEEggdkMIIHYDCCAT",
    },
}
ERROR = {"errorCode": "invalidParameters", "details": "No such order"}


class Answer(io.BytesIO):
    status = 200

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def client_answering(monkeypatch, body: dict, status: int = 200) -> BankIDClient:
    client = BankIDClient("https://appapi2.test.bankid.com/rp/v6.0/")
    raw = json.dumps(body).encode()

    def open_(request, timeout):
        if status != 200:
            raise urllib.error.HTTPError(request.full_url, status, "x", {}, io.BytesIO(raw))
        return Answer(raw)

    monkeypatch.setattr(client._opener, "open", open_)
    return client


def test_sign_example(monkeypatch):
    order = client_answering(monkeypatch, SIGN).sign(end_user_ip="192.0.2.1", user_visible_data="x")
    assert (order.order_ref, order.auto_start_token) == (SIGN["orderRef"], SIGN["autoStartToken"])
    assert (order.qr_start_token, order.qr_start_secret) == (
        SIGN["qrStartToken"],
        SIGN["qrStartSecret"],
    )


@pytest.mark.parametrize(
    ("body", "status", "hint"),
    [(COLLECT_PENDING, "pending", "userSign"), (COLLECT_FAILED, "failed", "userCancel")],
)
def test_collect_examples(monkeypatch, body, status, hint):
    answer = client_answering(monkeypatch, body).collect(body["orderRef"])
    assert (answer.status, answer.hint_code, answer.completion_data) == (status, hint, {})


def test_collect_complete_example(monkeypatch):
    answer = client_answering(monkeypatch, COLLECT_COMPLETE).collect("x")
    assert answer.complete
    assert answer.completion_data == COLLECT_COMPLETE["completionData"]


def test_error_example(monkeypatch):
    with pytest.raises(BankIDError) as error:
        client_answering(monkeypatch, ERROR, status=400).collect("x")
    assert (error.value.error_code, error.value.details, error.value.status) == (
        "invalidParameters",
        "No such order",
        400,
    )


def test_an_error_without_a_json_body_is_named_by_its_status(monkeypatch):
    client = BankIDClient("https://appapi2.test.bankid.com/rp/v6.0/")

    def open_(request, timeout):
        raise urllib.error.HTTPError(request.full_url, 503, "x", {}, io.BytesIO(b"<html>"))

    monkeypatch.setattr(client._opener, "open", open_)
    with pytest.raises(BankIDError) as error:
        client.collect("x")
    assert error.value.error_code == "maintenance"


def _shape(value):
    if isinstance(value, dict):
        return {key: _shape(item) for key, item in value.items()}
    return type(value).__name__


def test_the_simulator_answers_in_the_documented_shape(simulator):
    def post(method: str, body: dict) -> tuple[int, dict]:
        raw = json.dumps(body).encode()
        return simulator.handle(f"/rp/v6.0/{method}", "POST", "application/json", raw)

    status, sign = post("sign", {"endUserIp": "192.0.2.1", "userVisibleData": "eA=="})
    assert (status, _shape(sign)) == (200, _shape(SIGN))
    simulator.scan(sign["orderRef"])
    assert _shape(post("collect", {"orderRef": sign["orderRef"]})[1]) == _shape(COLLECT_PENDING)
    simulator.approve(sign["orderRef"])
    assert _shape(post("collect", {"orderRef": sign["orderRef"]})[1]) == _shape(COLLECT_COMPLETE)
    assert post("collect", {"orderRef": "nope"}) == (400, ERROR)
