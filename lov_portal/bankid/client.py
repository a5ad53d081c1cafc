"""A client for BankID's Relying Party API v6.0: auth, sign, collect and cancel.

The service is reached over mutual TLS: the relying party's certificate and key
(`LOV_BANKID_CERT`, `LOV_BANKID_KEY`, PEM) and BankID's own CA (`LOV_BANKID_CA`), which is the
only CA trusted for the connection. `LOV_BANKID_URL` is the API's base URL, e.g.
`https://appapi2.bankid.com/rp/v6.0/`; in development it points at the local simulator
(`manage.py bankid_simulator`), which speaks plain HTTP on 127.0.0.1.

Only the standard library is used (urllib and ssl), so the adapter adds no dependency.
"""

from __future__ import annotations

import base64
import contextlib
import json
import ssl
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

from django.conf import settings

# The API's limits on the encoded data (RP API v6.0, /sign).
USER_VISIBLE_DATA_MAX = 40_000
USER_NON_VISIBLE_DATA_MAX = 200_000

PENDING, FAILED, COMPLETE = "pending", "failed", "complete"

# HTTP status -> errorCode, for answers without a JSON body (a proxy in the way, say).
STATUS_ERRORS = {
    400: "invalidParameters",
    401: "unauthorized",
    403: "unauthorized",
    404: "notFound",
    405: "methodNotAllowed",
    408: "requestTimeout",
    415: "unsupportedMediaType",
    500: "internalError",
    503: "maintenance",
}


class BankIDError(Exception):
    """An error answer of the API (`errorCode`, `details`), or no answer at all
    (`errorCode` "unreachable": the connection failed or timed out)."""

    def __init__(self, error_code: str, details: str = "", status: int | None = None) -> None:
        super().__init__(f"{error_code}: {details}" if details else error_code)
        self.error_code = error_code
        self.details = details
        self.status = status


class BankIDNotConfigured(BankIDError):
    def __init__(self) -> None:
        super().__init__("notConfigured", "LOV_BANKID_URL is not set")


@dataclass(frozen=True)
class Order:
    order_ref: str
    auto_start_token: str
    qr_start_token: str
    qr_start_secret: str

    def started(self) -> dict[str, Any]:
        """What a page keeps of the order (in the server-side session), with when it started
        (the animated QR code counts seconds from then)."""
        return {
            "order_ref": self.order_ref,
            "auto_start_token": self.auto_start_token,
            "qr_start_token": self.qr_start_token,
            "qr_start_secret": self.qr_start_secret,
            "started_at": time.time(),
        }


@dataclass(frozen=True)
class Collect:
    order_ref: str
    status: str
    hint_code: str = ""
    completion_data: dict[str, Any] = field(default_factory=dict)

    @property
    def pending(self) -> bool:
        return self.status == PENDING

    @property
    def failed(self) -> bool:
        return self.status == FAILED

    @property
    def complete(self) -> bool:
        return self.status == COMPLETE


def encode(text: str | bytes) -> str:
    """userVisibleData and userNonVisibleData are sent base64-encoded (UTF-8 text)."""
    raw = text.encode("utf-8") if isinstance(text, str) else text
    return base64.b64encode(raw).decode("ascii")


def markdown_escape(text: str) -> str:
    """Text for simpleMarkdownV1: its markup characters are escaped with a backslash."""
    for char in "\\*_#+-`|":
        text = text.replace(char, "\\" + char)
    return text


class BankIDClient:
    def __init__(
        self,
        url: str,
        *,
        cert: str = "",
        key: str = "",
        ca: str = "",
        timeout: float = 10.0,
    ) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https"):
            raise ValueError(f"LOV_BANKID_URL must be http(s): {url!r}")
        self.url = url if url.endswith("/") else url + "/"
        self.timeout = timeout
        handlers: list[urllib.request.BaseHandler] = []
        if parts.scheme == "https":
            handlers.append(urllib.request.HTTPSHandler(context=self.ssl_context(cert, key, ca)))
        self._opener = urllib.request.build_opener(*handlers)

    @staticmethod
    def ssl_context(cert: str, key: str, ca: str) -> ssl.SSLContext:
        """Mutual TLS: our certificate and key; only BankID's CA is trusted when given."""
        context = ssl.create_default_context(ssl.Purpose.SERVER_AUTH, cafile=ca or None)
        context.minimum_version = ssl.TLSVersion.TLSv1_2
        if cert:
            context.load_cert_chain(cert, key or None)
        return context

    # --- the four calls ---------------------------------------------------------------------

    def auth(
        self,
        *,
        end_user_ip: str,
        user_visible_data: str = "",
        user_non_visible_data: str = "",
        requirement: dict[str, Any] | None = None,
    ) -> Order:
        body = self._order_body(end_user_ip, user_visible_data, user_non_visible_data, requirement)
        return self._order(self._post("auth", body))

    def sign(
        self,
        *,
        end_user_ip: str,
        user_visible_data: str,
        user_non_visible_data: str = "",
        requirement: dict[str, Any] | None = None,
    ) -> Order:
        if not user_visible_data:
            raise ValueError("sign needs userVisibleData")
        body = self._order_body(end_user_ip, user_visible_data, user_non_visible_data, requirement)
        return self._order(self._post("sign", body))

    def collect(self, order_ref: str) -> Collect:
        data = self._post("collect", {"orderRef": order_ref})
        return Collect(
            order_ref=data.get("orderRef", order_ref),
            status=data.get("status", ""),
            hint_code=data.get("hintCode", ""),
            completion_data=data.get("completionData") or {},
        )

    def cancel(self, order_ref: str) -> None:
        self._post("cancel", {"orderRef": order_ref})

    # --- plumbing ---------------------------------------------------------------------------

    @staticmethod
    def _order_body(
        end_user_ip: str,
        user_visible_data: str,
        user_non_visible_data: str,
        requirement: dict[str, Any] | None,
    ) -> dict[str, Any]:
        body: dict[str, Any] = {"endUserIp": end_user_ip}
        if user_visible_data:
            body["userVisibleData"] = encode(user_visible_data)
            body["userVisibleDataFormat"] = "simpleMarkdownV1"
            if len(body["userVisibleData"]) > USER_VISIBLE_DATA_MAX:
                raise ValueError("userVisibleData is too long")
        if user_non_visible_data:
            body["userNonVisibleData"] = encode(user_non_visible_data)
            if len(body["userNonVisibleData"]) > USER_NON_VISIBLE_DATA_MAX:
                raise ValueError("userNonVisibleData is too long")
        if requirement:
            body["requirement"] = requirement
        return body

    @staticmethod
    def _order(data: dict[str, Any]) -> Order:
        try:
            return Order(
                order_ref=data["orderRef"],
                auto_start_token=data["autoStartToken"],
                qr_start_token=data["qrStartToken"],
                qr_start_secret=data["qrStartSecret"],
            )
        except KeyError as missing:
            raise BankIDError("invalidResponse", f"no {missing} in the answer") from None

    def _post(self, method: str, body: dict[str, Any]) -> dict[str, Any]:
        request = urllib.request.Request(  # noqa: S310 (the scheme is checked in __init__)
            urljoin(self.url, method),
            data=json.dumps(body).encode("utf-8"),
            headers={"Content-Type": "application/json", "Accept": "application/json"},
            method="POST",
        )
        try:
            with self._opener.open(request, timeout=self.timeout) as response:
                raw = response.read()
        except urllib.error.HTTPError as error:
            raise self._error(error.code, error.read()) from None
        except (urllib.error.URLError, TimeoutError, OSError) as error:
            raise BankIDError("unreachable", str(error)) from None
        try:
            data = json.loads(raw or b"{}")
        except ValueError:
            raise BankIDError("invalidResponse", "the answer is not JSON") from None
        if not isinstance(data, dict):
            raise BankIDError("invalidResponse", "the answer is not a JSON object")
        return data

    @staticmethod
    def _error(status: int, raw: bytes) -> BankIDError:
        try:
            data = json.loads(raw)
        except ValueError:
            data = {}
        if not isinstance(data, dict):
            data = {}
        code = data.get("errorCode") or STATUS_ERRORS.get(status, "internalError")
        return BankIDError(code, str(data.get("details", "")), status)


def bankid_configured() -> bool:
    return bool(getattr(settings, "LOV_BANKID_URL", ""))


def bankid_client() -> BankIDClient:
    """The client the settings describe."""
    if not bankid_configured():
        raise BankIDNotConfigured
    return BankIDClient(
        settings.LOV_BANKID_URL,
        cert=settings.LOV_BANKID_CERT,
        key=settings.LOV_BANKID_KEY,
        ca=settings.LOV_BANKID_CA,
        timeout=settings.LOV_BANKID_TIMEOUT,
    )


def cancel_quietly(order_ref: str, client: BankIDClient | None = None) -> None:
    """Cancel an order that may already be over or gone at BankID (nothing left to cancel
    then, and nothing the person can do about an error here)."""
    with contextlib.suppress(BankIDError):
        (client or bankid_client()).cancel(order_ref)
