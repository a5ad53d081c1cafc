"""What every BankID page shares, whatever the order is for (signing the agreement, linking
BankID to an account, step-up for justering): the animated QR code, the status that polls
`collect` with htmx, and the answers that end polling.

The page (`bankid/_order.html`) needs no inline script: htmx fetches the next QR code every
second from the page's `qr_url` (which answers 286 once the order is over) and POSTs to its
`collect_url` every two seconds (a POST, since a completed order changes something). Without
JavaScript the page's own button collects once per press.
"""

from __future__ import annotations

from typing import Protocol

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from .qr import autostart_url, qr_data, qr_seconds, qr_svg

# htmx stops polling an element whose request answers 286.
STOP_POLLING = 286


class StartedOrder(Protocol):
    auto_start_token: str
    qr_start_token: str
    qr_start_secret: str
    started_at: float


def qr_image(order: StartedOrder) -> str:
    """The QR code of this second, as an inline SVG (the secret stays on the server)."""
    data = qr_data(
        qr_start_token=order.qr_start_token,
        qr_start_secret=order.qr_start_secret,
        seconds=qr_seconds(order.started_at),
    )
    return qr_svg(data, label=_("QR-kod att läsa av med BankID-appen"))


def qr_response(order: StartedOrder | None) -> HttpResponse:
    """The answer to the page's QR poll: the next code, or 286 once there is no order."""
    if order is None:
        return HttpResponse("", status=STOP_POLLING)
    response = HttpResponse(qr_image(order))
    response["Cache-Control"] = "no-store"
    return response


def order_context(
    order: StartedOrder,
    *,
    message: str,
    qr_url: str,
    collect_url: str,
    cancel_url: str,
    retry_url: str,
    done_label: str,
) -> dict:
    """The context `bankid/_order.html` needs."""
    return {
        "qr": qr_image(order),
        "autostart_url": autostart_url(order.auto_start_token),
        "message": message,
        "qr_url": qr_url,
        "collect_url": collect_url,
        "cancel_url": cancel_url,
        "retry_url": retry_url,
        "done_label": done_label,
    }


def status_response(
    request: HttpRequest, *, message: str, polling: bool, collect_url: str, retry_url: str
) -> HttpResponse:
    """The status fragment: polling on while the order is pending, a way back once not."""
    return render(
        request,
        "bankid/_status.html",
        {
            "message": message,
            "polling": polling,
            "collect_url": collect_url,
            "retry_url": retry_url,
        },
    )


def hx_redirect(url: str) -> HttpResponse:
    """Sends an htmx poll's page on to `url` once the order is done."""
    response = HttpResponse(status=204)
    response["HX-Redirect"] = url
    return response
