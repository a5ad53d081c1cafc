"""The simulator's hint codes: set by the person playing the user (its page) or scripted."""

from __future__ import annotations

import json
import urllib.request

import pytest

from lov_portal.bankid.client import BankIDClient
from lov_portal.bankid.simulator import FAILED_HINTS, PENDING_HINTS, Simulator, check_script


def start(simulator: Simulator) -> str:
    status, answer = simulator.handle(
        "/rp/v6.0/auth", "POST", "application/json", json.dumps({"endUserIp": "1.2.3.4"}).encode()
    )
    assert status == 200
    return answer["orderRef"]


def collect(simulator: Simulator, order_ref: str) -> dict:
    return simulator.handle(
        "/rp/v6.0/collect",
        "POST",
        "application/json",
        json.dumps({"orderRef": order_ref}).encode(),
    )[1]


@pytest.mark.parametrize("hint", PENDING_HINTS)
def test_every_pending_hint_can_be_set(simulator, hint):
    order_ref = start(simulator)
    simulator.hint(order_ref, hint)
    assert collect(simulator, order_ref) == {
        "orderRef": order_ref,
        "status": "pending",
        "hintCode": hint,
    }


@pytest.mark.parametrize("hint", FAILED_HINTS)
def test_every_failed_hint_can_be_set(simulator, hint):
    order_ref = start(simulator)
    simulator.refuse(order_ref, hint)
    assert collect(simulator, order_ref)["hintCode"] == hint
    assert collect(simulator, order_ref)["status"] == "failed"
    with pytest.raises(ValueError):
        simulator.hint(order_ref, "userSign")  # over: it stays failed


def test_unknown_hints_are_refused(simulator):
    order_ref = start(simulator)
    with pytest.raises(ValueError):
        simulator.hint(order_ref, "userIsBored")
    with pytest.raises(ValueError):
        simulator.refuse(order_ref, "userSign")  # a pending hint is no refusal


def test_a_script_moves_the_order_one_step_at_a_time(clock):
    simulator = Simulator(
        clock=clock,
        script=["noClient", "started", "userCallConfirm", "userDeclinedCall"],
        script_step=2,
    )
    order_ref = start(simulator)
    seen = []
    for _ in range(5):
        answer = collect(simulator, order_ref)
        seen.append((answer["status"], answer["hintCode"]))
        clock.now += 2
    assert seen == [
        ("pending", "noClient"),
        ("pending", "started"),
        ("pending", "userCallConfirm"),
        ("failed", "userDeclinedCall"),
        ("failed", "userDeclinedCall"),
    ]


def test_a_script_is_checked():
    assert check_script(["noClient", " userSign", "complete", ""]) == [
        "noClient",
        "userSign",
        "complete",
    ]
    with pytest.raises(ValueError):
        check_script(["complete", "userSign"])
    with pytest.raises(ValueError):
        check_script(["nope"])


def test_the_page_offers_every_hint_and_sets_the_chosen_one(simulator, bankid_url):
    client = BankIDClient(bankid_url)
    order = client.auth(end_user_ip="127.0.0.1")
    base = bankid_url.split("/rp/")[0]
    page = urllib.request.urlopen(base + "/").read().decode()  # noqa: S310 (local http)
    for hint in (*PENDING_HINTS, *FAILED_HINTS):
        assert f'value="{hint}"' in page
    for action, hint, status in (
        ("hint", "userMrtd", "pending"),
        ("refuse", "startFailed", "failed"),
    ):
        request = urllib.request.Request(  # noqa: S310 (local http)
            f"{base}/simulator/orders/{order.order_ref}/{action}",
            data=f"hint={hint}".encode(),
            method="POST",
        )
        urllib.request.urlopen(request).read()  # noqa: S310 (local http)
        result = client.collect(order.order_ref)
        assert (result.status, result.hint_code) == (status, hint)
