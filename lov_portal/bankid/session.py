"""A started order, kept between its page and the polls in the server-side session: the
qrStartSecret must never reach the browser, and a session belongs to the person who started
the order, so nobody else can collect it. Signing (agreements.bankid) and identification
(accounts.bankid) each keep theirs under their own key."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any, Protocol, TypeVar

from .client import BankIDClient, cancel_quietly


class _Order(Protocol):
    order_ref: str


Order = TypeVar("Order")


def order_keep(session: Any, key: str, order: Any) -> None:
    session[key] = asdict(order)


def order_read(session: Any, key: str, kind: type[Order]) -> Order | None:
    """The order kept under `key`, or None when there is none (or it has an older shape)."""
    data = session.get(key)
    if not data:
        return None
    try:
        return kind(**data)
    except TypeError:
        return None


def order_drop(
    session: Any, key: str, order: _Order | None, client: BankIDClient | None = None
) -> None:
    """Forget the session's order and cancel `order` at BankID if there was one (an order
    already over or gone there is no error)."""
    session.pop(key, None)
    if order is not None:
        cancel_quietly(order.order_ref, client)
