"""The adapter against the simulator, over HTTP: every order outcome and every error."""

from __future__ import annotations

import base64
import json
import urllib.request

import pytest

from lov_portal.bankid import messages
from lov_portal.bankid.client import BankIDClient, BankIDError, markdown_escape

IP = "192.0.2.10"


@pytest.fixture
def client(bankid_url: str) -> BankIDClient:
    return BankIDClient(bankid_url, timeout=5)


def start(client: BankIDClient, **kwargs):
    return client.sign(end_user_ip=IP, user_visible_data="# Avtal\n\nText", **kwargs)


def test_sign_collect_complete(client, simulator, clock):
    order = start(client, user_non_visible_data='{"text_sha256":"ab"}')
    simulated = simulator.orders[order.order_ref]
    assert (order.qr_start_token, order.qr_start_secret, order.auto_start_token) == (
        simulated.qr_start_token,
        simulated.qr_start_secret,
        simulated.auto_start_token,
    )
    first = client.collect(order.order_ref)
    assert (first.status, first.hint_code) == ("pending", "outstandingTransaction")
    simulator.scan(order.order_ref)
    assert client.collect(order.order_ref).hint_code == "userSign"
    simulator.approve(order.order_ref, personal_number="198507099805", name="Karin Karlsson")
    done = client.collect(order.order_ref)
    assert done.complete
    assert done.completion_data["user"] == {
        "personalNumber": "198507099805",
        "name": "Karin Karlsson",
        "givenName": "Karin",
        "surname": "Karlsson",
    }
    assert done.completion_data["device"]["ipAddress"] == IP
    xml = base64.b64decode(done.completion_data["signature"]).decode()
    # What was signed is inside the signature: the visible and the non-visible data.
    assert base64.b64encode(b"# Avtal\n\nText").decode() in xml
    assert base64.b64encode(b'{"text_sha256":"ab"}').decode() in xml
    assert base64.b64decode(done.completion_data["ocspResponse"])


def test_sign_sends_simple_markdown_base64(client, simulator):
    start(client, user_non_visible_data="x")
    method, body = simulator.requests[-1]
    assert method == "sign"
    assert body["userVisibleDataFormat"] == "simpleMarkdownV1"
    assert base64.b64decode(body["userVisibleData"]).decode() == "# Avtal\n\nText"
    assert base64.b64decode(body["userNonVisibleData"]).decode() == "x"
    assert body["endUserIp"] == IP


def test_auth_needs_no_visible_data(client):
    order = client.auth(end_user_ip=IP)
    assert client.collect(order.order_ref).pending


def test_refused(client, simulator):
    order = start(client)
    simulator.refuse(order.order_ref)
    answer = client.collect(order.order_ref)
    assert (answer.status, answer.hint_code) == ("failed", "userCancel")
    assert messages.collect_rfa(answer.status, answer.hint_code) == "RFA6"


def test_expired(client, simulator, clock):
    order = start(client)
    clock.now += 179
    assert client.collect(order.order_ref).pending
    clock.now += 1
    answer = client.collect(order.order_ref)
    assert (answer.status, answer.hint_code) == ("failed", "expiredTransaction")
    assert messages.collect_rfa(answer.status, answer.hint_code) == "RFA8"


def test_cancelled_order_is_gone(client):
    order = start(client)
    client.cancel(order.order_ref)
    with pytest.raises(BankIDError) as error:
        client.collect(order.order_ref)
    assert (error.value.error_code, error.value.status) == ("invalidParameters", 400)


def test_a_second_order_for_the_same_person_is_already_in_progress(client):
    requirement = {"personalNumber": "198507099805"}
    first = start(client, requirement=requirement)
    with pytest.raises(BankIDError) as error:
        start(client, requirement=requirement)
    assert error.value.error_code == "alreadyInProgress"
    assert messages.error_rfa("alreadyInProgress") == "RFA4"
    # BankID cancels the order in progress too.
    answer = client.collect(first.order_ref)
    assert (answer.status, answer.hint_code) == ("failed", "cancelled")
    assert messages.collect_rfa(answer.status, answer.hint_code) == "RFA3"


def test_auto_complete(bankid_url, simulator, clock):
    simulator.auto_complete = 4
    client = BankIDClient(bankid_url)
    order = start(client)
    clock.now += 2
    assert client.collect(order.order_ref).hint_code == "userSign"
    clock.now += 2
    assert client.collect(order.order_ref).complete


@pytest.mark.parametrize(
    ("body", "details"),
    [
        ({"userVisibleData": "eA=="}, "Invalid endUserIp"),
        ({"endUserIp": "not an ip", "userVisibleData": "eA=="}, "Invalid endUserIp"),
        ({"endUserIp": IP}, "Invalid userVisibleData"),
        (
            {"endUserIp": IP, "userVisibleData": "not base64!"},
            "Invalid userVisibleData: not base64",
        ),
        (
            {"endUserIp": IP, "userVisibleData": "eA==" * 10_001},
            "Invalid userVisibleData: too long",
        ),
        (
            {"endUserIp": IP, "userVisibleData": "eA==", "userVisibleDataFormat": "html"},
            "Invalid userVisibleDataFormat",
        ),
        (
            {"endUserIp": IP, "userVisibleData": "eA==", "requirement": {"personalNumber": "1"}},
            "Invalid personalNumber",
        ),
        (
            {"endUserIp": IP, "userVisibleData": "eA==", "nonsense": 1},
            "Invalid parameter: nonsense",
        ),
    ],
)
def test_invalid_parameters(bankid_url, body, details):
    status, answer = raw_post(bankid_url + "sign", body)
    assert (status, answer) == (400, {"errorCode": "invalidParameters", "details": details})


def raw_post(url: str, body, content_type: str = "application/json", method: str = "POST"):
    request = urllib.request.Request(  # noqa: S310
        url,
        data=json.dumps(body).encode() if body is not None else None,
        headers={"Content-Type": content_type},
        method=method,
    )
    try:
        with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def test_http_errors(bankid_url):
    base = bankid_url
    assert raw_post(base + "nothing", {})[1]["errorCode"] == "notFound"
    assert raw_post(base + "collect", None, method="GET") == (
        405,
        {"errorCode": "methodNotAllowed", "details": "Method not allowed"},
    )
    assert raw_post(base + "collect", {"orderRef": "x"}, content_type="text/plain")[0] == 415
    assert raw_post(base + "collect", {})[1]["details"] == "Invalid orderRef"
    assert raw_post(base + "collect", {"orderRef": "nope"})[1]["details"] == "No such order"


@pytest.mark.parametrize(
    ("code", "status", "rfa"),
    [
        ("internalError", 500, "RFA5"),
        ("maintenance", 503, "RFA5"),
        ("requestTimeout", 408, "RFA5"),
        ("unauthorized", 401, "RFA22"),
    ],
)
def test_service_errors_reach_the_caller_with_their_message(client, simulator, code, status, rfa):
    simulator.fail_next(code)
    with pytest.raises(BankIDError) as error:
        start(client)
    assert (error.value.error_code, error.value.status) == (code, status)
    assert messages.error_rfa(code) == rfa
    assert messages.error_message(code) == str(messages.RFA[rfa])


def test_unreachable_service_is_an_error_with_rfa5():
    client = BankIDClient("http://127.0.0.1:8199/rp/v6.0/", timeout=1)
    with pytest.raises(BankIDError) as error:
        client.collect("x")
    assert error.value.error_code == "unreachable"
    assert messages.error_rfa("unreachable") == "RFA5"


def test_every_hint_code_has_a_message():
    for hint in messages.PENDING_HINTS:
        assert messages.collect_message("pending", hint)
    for hint in messages.FAILED_HINTS:
        assert messages.collect_message("failed", hint)
    assert messages.collect_rfa("pending", "somethingNew") == "RFA21"
    assert messages.collect_rfa("failed", "somethingNew") == "RFA22"
    assert messages.collect_rfa("pending", "outstandingTransaction", qr=False) == "RFA13"
    assert messages.collect_rfa("failed", "startFailed") == "RFA17B"
    assert messages.collect_rfa("failed", "certificateErr") == "RFA16"


def test_markdown_escape():
    assert markdown_escape("A*B_#1") == "A\\*B\\_\\#1"


def test_the_users_page_lists_pending_orders_and_approves_or_refuses(client, simulator):
    import urllib.parse

    base = client.url.split("/rp/")[0]
    order = start(client)
    other = start(client)
    with urllib.request.urlopen(base + "/", timeout=5) as page:  # noqa: S310
        html = page.read().decode()
    assert order.order_ref in html and "# Avtal" in html
    form = urllib.parse.urlencode({"personal_number": PNO_PAGE, "name": "Eva Ek"}).encode()
    request = urllib.request.Request(  # noqa: S310
        f"{base}/simulator/orders/{order.order_ref}/approve", data=form, method="POST"
    )
    with urllib.request.urlopen(request, timeout=5) as answer:  # noqa: S310
        assert answer.status == 200  # followed the 303 back to the list
    done = client.collect(order.order_ref)
    assert done.complete and done.completion_data["user"]["personalNumber"] == PNO_PAGE
    request = urllib.request.Request(  # noqa: S310
        f"{base}/simulator/orders/{other.order_ref}/refuse", data=b"", method="POST"
    )
    urllib.request.urlopen(request, timeout=5).close()  # noqa: S310
    assert client.collect(other.order_ref).hint_code == "userCancel"
    # An order that is no longer pending cannot be answered again.
    request = urllib.request.Request(  # noqa: S310
        f"{base}/simulator/orders/{other.order_ref}/approve", data=b"", method="POST"
    )
    with pytest.raises(urllib.error.HTTPError) as error:
        urllib.request.urlopen(request, timeout=5)  # noqa: S310
    assert error.value.code == 409


PNO_PAGE = "197001019876"
