"""BankID for a person's own account: linking their BankID, and identifying with it as the
second factor of a step-up (justering), through BankID `auth` orders.

The portal does not know users' personal identity numbers and does not store them: linking
keeps an HMAC-SHA256 of the number (`personal_number_hash`), keyed with `LOV_BANKID_PNO_KEY`
or, when that is empty, a key derived from SECRET_KEY. A later identification satisfies the
step-up only if its number hashes to the linked value. The order between the page and its
polls lives in the server-side session (`SESSION_KEY`), as for signing: the qrStartSecret never
reaches the browser.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from typing import Any

# allauth's own re-authentication steps (it offers no public API to add a method to them).
from allauth.account.internal.flows.login import record_authentication
from allauth.account.internal.flows.reauthentication import STATE_SESSION_KEY
from allauth.core.internal.httpkit import deserialize_request
from allauth.core.internal.urlkit import script_aware_resolve
from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.crypto import salted_hmac

from lov_portal.bankid.client import (
    BankIDClient,
    bankid_client,
    bankid_configured,
    markdown_escape,
)
from lov_portal.bankid.session import order_drop, order_keep, order_read

from .models import BankIDLink

SESSION_KEY = "lov_bankid_auth"
LINK, STEP_UP = "link", "step_up"
PURPOSES = (LINK, STEP_UP)
# The allauth authentication record a completed step-up writes (ACCOUNT_REAUTHENTICATION_METHODS
# lists it, so it counts as a re-authentication for as long as a password or a TOTP code does).
AUTH_METHOD = "bankid"
# How long a completed order is remembered as used: far longer than BankID answers a collect
# for it (an order lives a few minutes), so its answer cannot be acted on a second time.
USED_ORDER_TIMEOUT = 24 * 60 * 60


def personal_number_hash(personal_number: str) -> str:
    """The keyed hash of a personal identity number (64 hex digits)."""
    key = getattr(settings, "LOV_BANKID_PNO_KEY", "") or settings.SECRET_KEY
    return salted_hmac(
        "lov_portal.accounts.bankid.personal_number",
        personal_number.strip(),
        secret=key,
        algorithm="sha256",
    ).hexdigest()


def is_same_person(link: BankIDLink, personal_number: str) -> bool:
    return hmac.compare_digest(link.personal_number_hash, personal_number_hash(personal_number))


def linked_bankid(user: Any) -> BankIDLink | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return BankIDLink.objects.filter(user=user).first()


def step_up_offered(user: Any) -> bool:
    """Whether the step-up offers "Legitimera med BankID": configured, and linked."""
    return bankid_configured() and linked_bankid(user) is not None


def user_visible_data(*, purpose: str, email: str) -> str:
    """What the BankID app shows (simpleMarkdownV1, in Swedish like the signing text)."""
    account = markdown_escape(email)
    if purpose == LINK:
        return (
            "# LÖV\\-portalen\n\n"
            f"Koppla ditt BankID till kontot **{account}**. Portalen sparar inte ditt "
            "personnummer."
        )
    return f"# LÖV\\-portalen\n\nLegitimering för kontot **{account}**."


@dataclass
class PendingAuth:
    order_ref: str
    auto_start_token: str
    qr_start_token: str
    qr_start_secret: str
    started_at: float
    purpose: str
    user_id: int
    next_url: str = ""


def auth_start(
    *,
    user: Any,
    purpose: str,
    end_user_ip: str,
    next_url: str = "",
    client: BankIDClient | None = None,
) -> PendingAuth:
    """Start a BankID auth order (raises BankIDError); the caller keeps it in the session."""
    if purpose not in PURPOSES:
        raise ValueError(purpose)
    order = (client or bankid_client()).auth(
        end_user_ip=end_user_ip,
        user_visible_data=user_visible_data(purpose=purpose, email=user.email),
    )
    return PendingAuth(
        **order.started(),
        purpose=purpose,
        user_id=user.pk,
        next_url=next_url,
    )


def auth_save(session, order: PendingAuth) -> None:
    order_keep(session, SESSION_KEY, order)


def auth_get(session, *, user: Any) -> PendingAuth | None:
    """The session's pending order, if it was started by this user."""
    order = order_read(session, SESSION_KEY, PendingAuth)
    if order is None:
        return None
    return order if order.user_id == user.pk and order.purpose in PURPOSES else None


def order_claim(order_ref: str) -> bool:
    """Mark a completed order as used; False if it already was. Two collects of one order
    racing (each read the session before the other saved it) both get BankID's answer: only
    the first to claim it may act on it (link, step up). An atomic add in the shared cache
    (Redis in production), so it holds across processes."""
    return cache.add(f"bankid:used:{order_ref}", 1, USED_ORDER_TIMEOUT)


def auth_forget(session) -> None:
    order_drop(session, SESSION_KEY, None)


def auth_cancel(session, *, user: Any, client: BankIDClient | None = None) -> None:
    order_drop(session, SESSION_KEY, auth_get(session, user=user), client)


def step_up_complete(request: HttpRequest, *, next_url: str) -> HttpResponse:
    """The linked BankID identified the person: record it as allauth records a password or a
    TOTP code given again (so the same REAUTHENTICATION_TIMEOUT applies), then resume the act
    that asked for it, the POST allauth suspended, as allauth's own re-authentication does."""
    record_authentication(request, request.user, method=AUTH_METHOD, reauthenticated=True)
    state = request.session.pop(STATE_SESSION_KEY, None)
    if next_url and state and "request" in state:
        suspended = deserialize_request(state["request"], request)
        if suspended.path == next_url:
            resolved = script_aware_resolve(suspended.path)
            return resolved.func(suspended, *resolved.args, **resolved.kwargs)
    return redirect(next_url or "accounts:bankid")
