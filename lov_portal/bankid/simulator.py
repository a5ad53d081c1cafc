"""A local stand-in for BankID's RP API v6.0, for development and tests.

It answers `/rp/v6.0/auth`, `/sign`, `/collect` and `/cancel` as BankID documents them: the
same request validation and error answers (`400 invalidParameters`, `400 alreadyInProgress`,
`404 notFound`, `405 methodNotAllowed`, `415 unsupportedMediaType`, and on demand
`401 unauthorized`, `408 requestTimeout`, `500 internalError`, `503 maintenance`), the hint
codes of a pending order (`outstandingTransaction`, then `userSign` once "the app" has read the
QR code), `complete` with completionData, `failed` with `userCancel`, `cancelled`,
`expiredTransaction`, `startFailed` or `certificateErr`.

The person playing the user opens http://127.0.0.1:PORT/ and reads, approves or refuses a
pending order. With `auto_complete` seconds set, every order is read after half that time and
approved after all of it, as the test person below.

The signature and OCSP response are stand-ins (marked SIMULATED): they have BankID's shape so
the portal stores and hashes them the same way, but no real certificate signs them.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import html
import ipaddress
import json
import re
import secrets
import ssl
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs

PREFIX = "/rp/v6.0/"
ORDER_METHODS = {"auth", "sign", "phone/auth", "phone/sign"}
ORDER_KEYS = {
    "endUserIp",
    "requirement",
    "userVisibleData",
    "userNonVisibleData",
    "userVisibleDataFormat",
    "returnUrl",
    "returnRisk",
    "app",
    "web",
    "personalNumber",
    "callInitiator",
}
REQUIREMENT_KEYS = {
    "pinCode",
    "mrtd",
    "cardReader",
    "certificatePolicies",
    "personalNumber",
    "risk",
}
ERROR_STATUS = {
    "invalidParameters": 400,
    "alreadyInProgress": 400,
    "unauthorized": 401,
    "notFound": 404,
    "methodNotAllowed": 405,
    "requestTimeout": 408,
    "unsupportedMediaType": 415,
    "internalError": 500,
    "maintenance": 503,
}
# Skatteverket's test personal identity numbers are in the 1990s-2000s test series; this one
# is the simulator's default user (not a real person's number).
TEST_PERSON = {
    "personalNumber": "199001019802",
    "givenName": "Testa",
    "surname": "Testsson",
}
_SECRET = secrets.token_bytes(32)


class ApiError(Exception):
    def __init__(self, error_code: str, details: str) -> None:
        super().__init__(details)
        self.error_code = error_code
        self.details = details
        self.status = ERROR_STATUS[error_code]


@dataclass
class SimulatedOrder:
    order_ref: str
    method: str
    created_at: float
    end_user_ip: str
    user_visible_data: str = ""
    user_non_visible_data: str = ""
    personal_number: str = ""
    qr_start_token: str = field(default_factory=lambda: str(uuid.uuid4()))
    qr_start_secret: str = field(default_factory=lambda: str(uuid.uuid4()))
    auto_start_token: str = field(default_factory=lambda: str(uuid.uuid4()))
    status: str = "pending"
    hint_code: str = "outstandingTransaction"
    completion_data: dict[str, Any] = field(default_factory=dict)

    def visible_text(self) -> str:
        try:
            return base64.b64decode(self.user_visible_data).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            return ""


def _b64(value: Any, name: str, limit: int) -> str:
    if not isinstance(value, str) or not value:
        raise ApiError("invalidParameters", f"Invalid {name}")
    if len(value) > limit:
        raise ApiError("invalidParameters", f"Invalid {name}: too long")
    try:
        base64.b64decode(value, validate=True)
    except binascii.Error:
        raise ApiError("invalidParameters", f"Invalid {name}: not base64") from None
    return value


class Simulator:
    """The API's state and rules, without HTTP (the handler below serves it)."""

    def __init__(
        self,
        *,
        auto_complete: float | None = None,
        order_ttl: float = 180.0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.auto_complete = auto_complete
        self.order_ttl = order_ttl
        self.clock = clock
        self.orders: dict[str, SimulatedOrder] = {}
        self.lock = threading.Lock()
        self._next_error: tuple[str, str] | None = None
        self.requests: list[tuple[str, dict[str, Any]]] = []

    # --- what the person playing the user (or a test) does ----------------------------------

    def fail_next(self, error_code: str, details: str = "") -> None:
        """The next API request answers with this error (internalError, maintenance, ...)."""
        if error_code not in ERROR_STATUS:
            raise ValueError(error_code)
        with self.lock:
            self._next_error = (error_code, details or f"Simulated {error_code}")

    def scan(self, order_ref: str) -> None:
        """The app has read the QR code (or been started): the user is asked to sign."""
        with self.lock:
            order = self._pending(order_ref)
            order.hint_code = "userSign"

    def approve(self, order_ref: str, *, personal_number: str = "", name: str = "") -> None:
        with self.lock:
            self._complete(self._pending(order_ref), personal_number=personal_number, name=name)

    def refuse(self, order_ref: str, hint_code: str = "userCancel") -> None:
        """The user cancels in the app (or: startFailed, certificateErr, ...)."""
        with self.lock:
            order = self._pending(order_ref)
            order.status, order.hint_code = "failed", hint_code

    def pending_orders(self) -> list[SimulatedOrder]:
        with self.lock:
            for order in self.orders.values():
                self._advance(order)
            return [o for o in self.orders.values() if o.status == "pending"]

    # --- the API ----------------------------------------------------------------------------

    def handle(
        self, path: str, http_method: str, content_type: str, raw: bytes
    ) -> tuple[int, dict]:
        try:
            return 200, self._handle(path, http_method, content_type, raw)
        except ApiError as error:
            return error.status, {"errorCode": error.error_code, "details": error.details}

    def _handle(self, path: str, http_method: str, content_type: str, raw: bytes) -> dict:
        if not path.startswith(PREFIX):
            raise ApiError("notFound", "No such endpoint")
        method = path[len(PREFIX) :]
        if method not in ORDER_METHODS | {"collect", "cancel"}:
            raise ApiError("notFound", "No such endpoint")
        if http_method != "POST":
            raise ApiError("methodNotAllowed", "Method not allowed")
        if content_type.split(";")[0].strip().lower() != "application/json":
            raise ApiError("unsupportedMediaType", "Content-Type must be application/json")
        with self.lock:
            if self._next_error is not None:
                error, self._next_error = self._next_error, None
                raise ApiError(*error)
        try:
            body = json.loads(raw or b"")
        except ValueError:
            raise ApiError("invalidParameters", "Invalid JSON") from None
        if not isinstance(body, dict):
            raise ApiError("invalidParameters", "Invalid JSON")
        self.requests.append((method, body))
        with self.lock:
            if method in ORDER_METHODS:
                return self._start(method, body)
            order_ref = body.get("orderRef")
            if not isinstance(order_ref, str) or not order_ref:
                raise ApiError("invalidParameters", "Invalid orderRef")
            order = self.orders.get(order_ref)
            if order is None:
                raise ApiError("invalidParameters", "No such order")
            if method == "cancel":
                del self.orders[order_ref]
                return {}
            return self._collect(order)

    def _start(self, method: str, body: dict[str, Any]) -> dict:
        unknown = set(body) - ORDER_KEYS
        if unknown:
            raise ApiError("invalidParameters", f"Invalid parameter: {sorted(unknown)[0]}")
        ip = body.get("endUserIp")
        try:
            ipaddress.ip_address(ip if isinstance(ip, str) else "")
        except ValueError:
            raise ApiError("invalidParameters", "Invalid endUserIp") from None
        visible = body.get("userVisibleData")
        if method.endswith("sign") or visible is not None:
            visible = _b64(visible, "userVisibleData", 40_000)
        non_visible = body.get("userNonVisibleData")
        if non_visible is not None:
            non_visible = _b64(non_visible, "userNonVisibleData", 200_000)
        data_format = body.get("userVisibleDataFormat")
        if data_format is not None and data_format != "simpleMarkdownV1":
            raise ApiError("invalidParameters", "Invalid userVisibleDataFormat")
        requirement = body.get("requirement", {})
        if not isinstance(requirement, dict) or set(requirement) - REQUIREMENT_KEYS:
            raise ApiError("invalidParameters", "Invalid requirement")
        personal_number = requirement.get("personalNumber", "")
        if personal_number and not re.fullmatch(r"(19|20)\d{10}", str(personal_number)):
            raise ApiError("invalidParameters", "Invalid personalNumber")
        if personal_number:
            for other in self.orders.values():
                self._advance(other)
                if other.status == "pending" and other.personal_number == personal_number:
                    # BankID: the order in progress is cancelled and no new one is created.
                    other.status, other.hint_code = "failed", "cancelled"
                    raise ApiError("alreadyInProgress", "Order already in progress for pno")
        order = SimulatedOrder(
            order_ref=str(uuid.uuid4()),
            method=method,
            created_at=self.clock(),
            end_user_ip=ip,
            user_visible_data=visible or "",
            user_non_visible_data=non_visible or "",
            personal_number=personal_number,
        )
        self.orders[order.order_ref] = order
        return {
            "orderRef": order.order_ref,
            "autoStartToken": order.auto_start_token,
            "qrStartToken": order.qr_start_token,
            "qrStartSecret": order.qr_start_secret,
        }

    def _collect(self, order: SimulatedOrder) -> dict:
        self._advance(order)
        answer: dict[str, Any] = {"orderRef": order.order_ref, "status": order.status}
        if order.status == "complete":
            answer["completionData"] = order.completion_data
        else:
            answer["hintCode"] = order.hint_code
        return answer

    # --- the order's life -------------------------------------------------------------------

    def _pending(self, order_ref: str) -> SimulatedOrder:
        order = self.orders.get(order_ref)
        if order is None:
            raise KeyError(order_ref)
        self._advance(order)
        if order.status != "pending":
            raise ValueError(f"the order is {order.status}")
        return order

    def _advance(self, order: SimulatedOrder) -> None:
        if order.status != "pending":
            return
        age = self.clock() - order.created_at
        if self.auto_complete is not None and age >= self.auto_complete:
            self._complete(order)
        elif self.auto_complete is not None and age >= self.auto_complete / 2:
            order.hint_code = "userSign"
        if order.status == "pending" and age >= self.order_ttl:
            order.status, order.hint_code = "failed", "expiredTransaction"

    def _complete(
        self, order: SimulatedOrder, *, personal_number: str = "", name: str = ""
    ) -> None:
        given, _, surname = (name or "").strip().partition(" ")
        user = {
            "personalNumber": personal_number
            or order.personal_number
            or TEST_PERSON["personalNumber"],
            "givenName": given or TEST_PERSON["givenName"],
            "surname": surname or (TEST_PERSON["surname"] if not given else ""),
        }
        user["name"] = f"{user['givenName']} {user['surname']}".strip()
        order.status, order.hint_code = "complete", ""
        order.completion_data = {
            "user": {k: user[k] for k in ("personalNumber", "name", "givenName", "surname")},
            "device": {"ipAddress": order.end_user_ip, "uhi": _uhi(order)},
            "bankIdIssueDate": "2024-01-15",
            "signature": base64.b64encode(_signature_xml(order, user).encode()).decode(),
            "ocspResponse": base64.b64encode(_ocsp(order)).decode(),
        }


def _uhi(order: SimulatedOrder) -> str:
    return base64.b64encode(hashlib.sha256(order.end_user_ip.encode()).digest()[:15]).decode()


def _signature_xml(order: SimulatedOrder, user: dict[str, str]) -> str:
    signed_data = (
        '<bankIdSignedData xmlns="http://www.bankid.com/signature/v1.0.0/types" '
        'Id="bidSignedData">'
        f'<usrVisibleData charset="UTF-8" visible="wysiwys">{order.user_visible_data}'
        "</usrVisibleData>"
        f"<usrNonVisibleData>{order.user_non_visible_data}</usrNonVisibleData>"
        f"<srvInfo><name>SIMULATED</name><nonce>{secrets.token_hex(16)}</nonce></srvInfo>"
        f"<env><ai><type>SIMULATED</type><uhi>{_uhi(order)}</uhi><uauth>pin</uauth></ai></env>"
        "</bankIdSignedData>"
    )
    digest = base64.b64encode(hashlib.sha256(signed_data.encode()).digest()).decode()
    value = base64.b64encode(hmac.new(_SECRET, signed_data.encode(), "sha256").digest()).decode()
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="no"?>'
        '<Signature xmlns="http://www.w3.org/2000/09/xmldsig#">'
        "<SignedInfo><SignatureMethod "
        'Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"/>'
        '<Reference URI="#bidSignedData"><DigestMethod '
        'Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/>'
        f"<DigestValue>{digest}</DigestValue></Reference></SignedInfo>"
        f"<SignatureValue>{value}</SignatureValue>"
        f"<KeyInfo><X509Data><X509SubjectName>SIMULATED {html.escape(user['name'])}"
        "</X509SubjectName></X509Data></KeyInfo>"
        f"<Object>{signed_data}</Object></Signature>"
    )


def _ocsp(order: SimulatedOrder) -> bytes:
    return b"SIMULATED OCSP RESPONSE " + hashlib.sha256(order.order_ref.encode()).digest()


# --- HTTP ----------------------------------------------------------------------------------

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>BankID simulator</title></head>
<body><h1>BankID simulator (RP API v6.0)</h1>
<p>Pending orders. Read the order as the BankID app would show it, then approve or refuse.
Nothing here is real BankID.</p>{orders}</body></html>"""
ORDER = """<section><h2>{method}: {ref}</h2><p>Status: {hint}</p><pre>{text}</pre>
<form method="post" action="/simulator/orders/{ref}/scan"><button>Read the QR code</button></form>
<form method="post" action="/simulator/orders/{ref}/approve">
<label>Personal number <input name="personal_number" value="{pno}"></label>
<label>Name <input name="name" value="{name}"></label>
<button>Approve (sign)</button></form>
<form method="post" action="/simulator/orders/{ref}/refuse"><button>Refuse</button></form>
</section>"""


def make_handler(simulator: Simulator) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = "BankIDSimulator/6.0"

        def log_message(self, format: str, *args: Any) -> None:
            pass

        def _body(self) -> bytes:
            length = int(self.headers.get("Content-Length") or 0)
            return self.rfile.read(min(length, 1_000_000))

        def _send(self, status: int, body: bytes, content_type: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def _api(self, method: str) -> None:
            raw = self._body() if method == "POST" else b""
            status, answer = simulator.handle(
                self.path, method, self.headers.get("Content-Type", ""), raw
            )
            self._send(status, json.dumps(answer).encode(), "application/json")

        def do_GET(self) -> None:
            if self.path.startswith(PREFIX):
                return self._api("GET")
            if self.path != "/":
                return self._send(404, b"Not found", "text/plain")
            orders = "".join(
                ORDER.format(
                    method=html.escape(o.method),
                    ref=html.escape(o.order_ref),
                    hint=html.escape(o.hint_code),
                    text=html.escape(o.visible_text()),
                    pno=html.escape(o.personal_number or TEST_PERSON["personalNumber"]),
                    name=html.escape(f"{TEST_PERSON['givenName']} {TEST_PERSON['surname']}"),
                )
                for o in simulator.pending_orders()
            )
            page = PAGE.format(orders=orders or "<p>No pending orders.</p>")
            self._send(200, page.encode(), "text/html; charset=utf-8")

        def do_POST(self) -> None:
            if self.path.startswith(PREFIX):
                return self._api("POST")
            match = re.fullmatch(r"/simulator/orders/([\w-]+)/(scan|approve|refuse)", self.path)
            if match is None:
                return self._send(404, b"Not found", "text/plain")
            ref, action = match.groups()
            form = parse_qs(self._body().decode("utf-8", "replace"))
            try:
                if action == "scan":
                    simulator.scan(ref)
                elif action == "approve":
                    simulator.approve(
                        ref,
                        personal_number=form.get("personal_number", [""])[0].strip(),
                        name=form.get("name", [""])[0],
                    )
                else:
                    simulator.refuse(ref)
            except (KeyError, ValueError):
                return self._send(409, b"The order is no longer pending.", "text/plain")
            self.send_response(303)
            self.send_header("Location", "/")
            self.send_header("Content-Length", "0")
            self.end_headers()

        do_PUT = do_DELETE = do_PATCH = lambda self: self._api(self.command)

    return Handler


def make_server(
    simulator: Simulator,
    *,
    host: str = "127.0.0.1",
    port: int = 8190,
    certfile: str = "",
    keyfile: str = "",
    client_ca: str = "",
) -> ThreadingHTTPServer:
    """An HTTP server for the simulator; HTTPS (and mutual TLS with `client_ca`) on request."""
    server = ThreadingHTTPServer((host, port), make_handler(simulator))
    server.daemon_threads = True
    if certfile:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(certfile, keyfile or None)
        if client_ca:
            context.verify_mode = ssl.CERT_REQUIRED
            context.load_verify_locations(client_ca)
        server.socket = context.wrap_socket(server.socket, server_side=True)
    return server
