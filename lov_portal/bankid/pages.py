"""What every BankID page shares, whatever the order is for (signing the agreement, linking
BankID to an account, step-up for justering): the animated QR code, the status that polls
`collect` with htmx, and the answers that end polling.

The page (`bankid/_order.html`) needs no inline script: htmx fetches the next QR code every
second from the page's `qr_url` (which answers 286 once the order is over) and POSTs to its
`collect_url` every two seconds (a POST, since a completed order changes something). Without
JavaScript the page's own button collects once per press.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from . import messages as rfa
from .client import BankIDClient, BankIDError, Collect, bankid_client
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


@dataclass(frozen=True)
class Poll:
    """One poll of an order's page: whether htmx sent it, and the page's addresses."""

    htmx: bool
    page_url: str
    collect_url: str
    retry_url: str

    @classmethod
    def of(cls, request: HttpRequest, *, page_url: str, collect_url: str, retry_url: str):
        htmx = request.headers.get("HX-Request") == "true"
        return cls(htmx, page_url, collect_url, retry_url)


class PendingOrder(Protocol):
    order_ref: str


def collect(
    request: HttpRequest,
    poll: Poll,
    order: PendingOrder | None,
    *,
    missing: str,
    forget: Callable[[], None],
    complete: Callable[[Collect], HttpResponse],
    client: BankIDClient | None = None,
) -> HttpResponse:
    """Ask BankID about the session's order. No order (none started, or already over): the
    message `missing`, and polling stops. Pending: the status (htmx keeps polling) or, without
    JavaScript, the order's page again with the message. Failed or an error: the order is
    forgotten and its message shown. Complete: the order is forgotten and `complete` acts on
    BankID's answer."""
    if order is None:
        return finished(request, poll, missing)
    try:
        result = (client or bankid_client()).collect(order.order_ref)
    except BankIDError as error:
        forget()
        return finished(request, poll, rfa.error_message(error.error_code))
    if result.pending:
        message = rfa.collect_message("pending", result.hint_code)
        if poll.htmx:
            return _poll_status(request, poll, message, polling=True)
        messages.info(request, message)
        return redirect(poll.page_url)
    forget()
    if result.failed:
        return finished(request, poll, rfa.collect_message("failed", result.hint_code))
    return complete(result)


def finished(request: HttpRequest, poll: Poll, message: str) -> HttpResponse:
    """The order is over without success: the message, and polling stops."""
    if poll.htmx:
        return _poll_status(request, poll, message, polling=False)
    messages.error(request, message)
    return redirect(poll.retry_url)


def _poll_status(request: HttpRequest, poll: Poll, message: str, *, polling: bool):
    return status_response(
        request,
        message=message,
        polling=polling,
        collect_url=poll.collect_url,
        retry_url=poll.retry_url,
    )


def done(poll: Poll, url: str) -> HttpResponse:
    """The order succeeded: on to `url` (htmx: the whole page)."""
    return hx_redirect(url) if poll.htmx else redirect(url)
