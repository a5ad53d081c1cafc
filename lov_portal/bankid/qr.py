"""BankID's animated QR code: a new value every second, from the order's start token and secret.

The value is `bankid.<qrStartToken>.<seconds since the order started>.<HMAC-SHA256 of those
seconds (as a decimal string) keyed with qrStartSecret, in hex>` (BankID RP API v6, "QR code").
The secret never leaves the server: the page fetches each new code as an SVG.
"""

from __future__ import annotations

import hashlib
import hmac
import html
import math
import time

import qrcode
import qrcode.image.svg


def qr_data(*, qr_start_token: str, qr_start_secret: str, seconds: int) -> str:
    code = hmac.new(
        qr_start_secret.encode("utf-8"), str(seconds).encode("ascii"), hashlib.sha256
    ).hexdigest()
    return f"bankid.{qr_start_token}.{seconds}.{code}"


def qr_seconds(started_at: float, now: float | None = None) -> int:
    """Whole seconds since the order was started (never negative)."""
    return max(0, math.floor((time.time() if now is None else now) - started_at))


def qr_svg(data: str, *, label: str = "QR") -> str:
    """The QR code as an inline SVG image named `label` (no XML declaration, no style)."""
    image = qrcode.make(
        data,
        image_factory=qrcode.image.svg.SvgPathImage,
        error_correction=qrcode.constants.ERROR_CORRECT_L,
    )
    svg = image.to_string(encoding="unicode")
    if svg.startswith("<?xml"):
        svg = svg.split("?>", 1)[1]
    label = html.escape(label, quote=True)
    return svg.replace("<svg ", f'<svg class="bankid-qr__code" role="img" aria-label="{label}" ', 1)


def autostart_url(auto_start_token: str) -> str:
    """ "Open BankID on this device": the app returns to the browser by itself (redirect=null)."""
    return f"bankid:///?autostarttoken={auto_start_token}&redirect=null"
