"""The simulator's API and order state, without HTTP (`server.py` serves it).

It answers `auth`, `sign`, `collect` and `cancel` as BankID documents them: the same request
validation and error answers (`400 invalidParameters`, `400 alreadyInProgress`, `404
notFound`, `405 methodNotAllowed`, `415 unsupportedMediaType`, and on demand `401
unauthorized`, `408 requestTimeout`, `500 internalError`, `503 maintenance`), every pending
hint code (`PENDING_HINTS`) and failed one (`FAILED_HINTS`), order expiry, and `complete` with
completionData whose signature and OCSP response are really signed by the simulator's CA
(`ca.py`).

An order moves by what the person playing the user does (`hint`, `scan`, `approve`,
`refuse`), by `auto_complete` (read after half the time, approved after all of it), or by a
`script`: a list of states, one every `script_step` seconds from the order's start, each a
pending hint, a failed hint or "complete" (`--hints noClient,started,userSign,complete`).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import ipaddress
import json
import math
import re
import threading
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from .ca import SimulatorCA, shared_ca

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
# The hint codes of RP API v6.0, in the order the simulator's page offers them.
PENDING_HINTS = (
    "outstandingTransaction",
    "noClient",
    "started",
    "userMrtd",
    "userCallConfirm",
    "userSign",
)
FAILED_HINTS = (
    "userCancel",
    "expiredTransaction",
    "certificateErr",
    "cancelled",
    "startFailed",
    "userDeclinedCall",
    "notSupportedByUserApp",
    "transactionRiskBlocked",
)
COMPLETE = "complete"
# Skatteverket's test personal identity numbers are in the 1990s-2000s test series; this one
# is the simulator's default user (not a real person's number).
TEST_PERSON = {
    "personalNumber": "199001019802",
    "givenName": "Testa",
    "surname": "Testsson",
}


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


def check_script(script: Sequence[str]) -> list[str]:
    """A hint script's states, checked: known codes only, nothing after a final state."""
    states = [s.strip() for s in script if s.strip()]
    for index, state in enumerate(states):
        if state not in (*PENDING_HINTS, *FAILED_HINTS, COMPLETE):
            raise ValueError(f"unknown hint code or state: {state!r}")
        if state not in PENDING_HINTS and index != len(states) - 1:
            raise ValueError(f"{state!r} ends the order: it must come last")
    return states


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
    """The API's state and rules."""

    def __init__(
        self,
        *,
        auto_complete: float | None = None,
        order_ttl: float = 180.0,
        clock: Callable[[], float] = time.time,
        script: Sequence[str] = (),
        script_step: float = 2.0,
        ca: SimulatorCA | None = None,
    ) -> None:
        self.auto_complete = auto_complete
        self.order_ttl = order_ttl
        self.clock = clock
        self.script = check_script(script)
        self.script_step = script_step
        self.ca = ca or shared_ca()
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

    def hint(self, order_ref: str, hint_code: str) -> None:
        """Move a pending order to this hint: a pending one (it stays pending) or a failed
        one (it fails)."""
        if hint_code not in (*PENDING_HINTS, *FAILED_HINTS):
            raise ValueError(f"unknown hint code: {hint_code!r}")
        with self.lock:
            order = self._pending(order_ref)
            self._set(order, hint_code)

    def scan(self, order_ref: str) -> None:
        """The app has read the QR code (or been started): the user is asked to sign."""
        self.hint(order_ref, "userSign")

    def approve(self, order_ref: str, *, personal_number: str = "", name: str = "") -> None:
        with self.lock:
            self._complete(self._pending(order_ref), personal_number=personal_number, name=name)

    def refuse(self, order_ref: str, hint_code: str = "userCancel") -> None:
        """The order fails (userCancel, startFailed, certificateErr, ...)."""
        if hint_code not in FAILED_HINTS:
            raise ValueError(f"not a failed hint code: {hint_code!r}")
        self.hint(order_ref, hint_code)

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

    def _set(self, order: SimulatedOrder, state: str) -> None:
        if state == COMPLETE:
            self._complete(order)
        elif state in FAILED_HINTS:
            order.status, order.hint_code = "failed", state
        else:
            order.hint_code = state

    def _advance(self, order: SimulatedOrder) -> None:
        if order.status != "pending":
            return
        age = self.clock() - order.created_at
        if self.script:
            step = min(math.floor(age / self.script_step), len(self.script) - 1)
            self._set(order, self.script[step])
        elif self.auto_complete is not None and age >= self.auto_complete:
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
        uhi = _uhi(order)
        signature = self.ca.signature_xml(
            personal_number=user["personalNumber"],
            name=user["name"],
            user_visible_data=order.user_visible_data,
            user_non_visible_data=order.user_non_visible_data,
            uhi=uhi,
        )
        _key, certificate = self.ca.person(user["personalNumber"], user["name"])
        order.status, order.hint_code = "complete", ""
        order.completion_data = {
            "user": {k: user[k] for k in ("personalNumber", "name", "givenName", "surname")},
            "device": {"ipAddress": order.end_user_ip, "uhi": uhi},
            "bankIdIssueDate": "2024-01-15",
            "signature": base64.b64encode(signature).decode(),
            "ocspResponse": base64.b64encode(self.ca.ocsp_response(certificate)).decode(),
        }


def _uhi(order: SimulatedOrder) -> str:
    return base64.b64encode(hashlib.sha256(order.end_user_ip.encode()).digest()[:15]).decode()
