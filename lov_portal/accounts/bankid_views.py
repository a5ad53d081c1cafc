"""BankID on a person's own account: link it, unlink it, and identify with it as the second
factor of a step-up (allauth's re-authentication, which justering asks for).

Every view is the person's own: they act on the logged-in account and the BankID order in
their own session, so there is nobody else's to name. The order's page and its polling are
BankID's shared pieces (`lov_portal.bankid.pages`), the same as signing's.
"""

from __future__ import annotations

import logging

from allauth.account.decorators import reauthentication_required
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from lov_portal.bankid import messages as rfa
from lov_portal.bankid import pages
from lov_portal.bankid.client import BankIDError, bankid_configured
from lov_portal.bankid.verify import SignatureInvalid, verify_completion
from lov_portal.core.http import client_ip, safe_next, with_next

from . import bankid, services

logger = logging.getLogger(__name__)


def _configured() -> None:
    if not bankid_configured():
        raise Http404


def _step_up_url(next_url: str) -> str:
    url = reverse("accounts:bankid_step_up")
    return with_next(url, next_url) if next_url else url


def _retry_url(order: bankid.PendingAuth | None) -> str:
    if order is not None and order.purpose == bankid.STEP_UP:
        return _step_up_url(order.next_url)
    return reverse("accounts:bankid")


@login_required
@require_GET
def bankid_settings(request: HttpRequest) -> HttpResponse:
    _configured()
    return render(request, "accounts/bankid.html", {"link": bankid.linked_bankid(request.user)})


def _start(request: HttpRequest, purpose: str, next_url: str = "") -> HttpResponse:
    bankid.auth_cancel(request.session, user=request.user)  # one order at a time
    try:
        order = bankid.auth_start(
            user=request.user,
            purpose=purpose,
            end_user_ip=client_ip(request) or "127.0.0.1",
            next_url=next_url,
        )
    except BankIDError as error:
        messages.error(request, rfa.error_message(error.error_code))
        return redirect(_step_up_url(next_url) if purpose == bankid.STEP_UP else "accounts:bankid")
    bankid.auth_save(request.session, order)
    return redirect("accounts:bankid_order")


@login_required
@require_POST
@reauthentication_required
def bankid_link_start(request: HttpRequest) -> HttpResponse:
    """Linking a BankID makes it a way to confirm acts: like adding a second factor, it asks
    for the password or a code again first."""
    _configured()
    return _start(request, bankid.LINK)


@login_required
@require_POST
@reauthentication_required
def bankid_unlink(request: HttpRequest) -> HttpResponse:
    """Unlinking lifts the rule that only this BankID may sign the agreement for the person
    (decision 95): like linking, it asks for the password or a code again first, so that a
    session alone (left open, or stolen) cannot lift it."""
    _configured()
    if services.bankid_unlink(user=request.user, request=request):
        messages.success(request, _("Ditt BankID är inte längre kopplat till kontot."))
    return redirect("accounts:bankid")


@login_required
@require_GET
def bankid_step_up(request: HttpRequest) -> HttpResponse:
    """The step-up's BankID choice (allauth's re-authentication pages link here)."""
    _configured()
    next_url = safe_next(request, request.GET.get("next"), "")
    return render(
        request,
        "accounts/bankid_step_up.html",
        {
            "link": bankid.linked_bankid(request.user),
            "next_url": next_url,
            "reauthenticate_url": with_next(reverse("account_reauthenticate"), next_url)
            if next_url
            else reverse("account_reauthenticate"),
        },
    )


@login_required
@require_POST
def bankid_step_up_start(request: HttpRequest) -> HttpResponse:
    _configured()
    next_url = safe_next(request, request.POST.get("next"), "")
    if bankid.linked_bankid(request.user) is None:
        messages.error(request, _("Koppla ditt BankID till kontot först."))
        return redirect("accounts:bankid")
    return _start(request, bankid.STEP_UP, next_url)


@login_required
@require_GET
def bankid_order(request: HttpRequest) -> HttpResponse:
    _configured()
    order = bankid.auth_get(request.session, user=request.user)
    if order is None:
        return redirect("accounts:bankid")
    context = pages.order_context(
        order,
        message=rfa.collect_message("pending", "outstandingTransaction"),
        qr_url=reverse("accounts:bankid_qr"),
        collect_url=reverse("accounts:bankid_collect"),
        cancel_url=reverse("accounts:bankid_cancel"),
        retry_url=_retry_url(order),
        done_label=_("Jag har legitimerat mig"),
    )
    return render(request, "accounts/bankid_order.html", {"order": order, **context})


@login_required
@require_GET
def bankid_qr(request: HttpRequest) -> HttpResponse:
    _configured()
    return pages.qr_response(bankid.auth_get(request.session, user=request.user))


@login_required
@require_POST
def bankid_collect(request: HttpRequest) -> HttpResponse:
    _configured()
    order = bankid.auth_get(request.session, user=request.user)
    poll = pages.Poll.of(
        request,
        page_url=reverse("accounts:bankid_order"),
        collect_url=reverse("accounts:bankid_collect"),
        retry_url=_retry_url(order),
    )
    return pages.collect(
        request,
        poll,
        order,
        missing=_("Det finns ingen pågående legitimering."),
        forget=lambda: bankid.auth_forget(request.session),
        complete=lambda result: _identified(request, poll, order, result),
    )


def _identified(request: HttpRequest, poll: pages.Poll, order, result) -> HttpResponse:
    try:
        verified = verify_completion(
            result.completion_data,
            user_visible_data=bankid.user_visible_data(
                purpose=order.purpose, email=request.user.email
            ),
            user_non_visible_data="",
        )
    except SignatureInvalid as error:
        logger.warning("BankID identification refused (order %s): %s", order.order_ref, error)
        return pages.finished(request, poll, str(rfa.SIGNATURE_INVALID))
    if not bankid.order_claim(order.order_ref):
        logger.warning("BankID order %s collected a second time: refused", order.order_ref)
        return pages.finished(
            request, poll, _("Den här legitimeringen är redan använd. Börja om, om du behöver.")
        )
    if order.purpose == bankid.LINK:
        name = str((result.completion_data.get("user") or {}).get("name") or "")
        return _linked(request, poll, verified.personal_number, name)
    return _stepped_up(request, poll, order, verified.personal_number)


def _linked(request: HttpRequest, poll: pages.Poll, personal_number: str, name: str):
    try:
        services.bankid_link(
            user=request.user, personal_number=personal_number, name=name, request=request
        )
    except services.BankIDAlreadyLinkedError as error:
        return pages.finished(request, poll, error.messages[0])
    messages.success(
        request,
        _("BankID för %(name)s är kopplat till ditt konto. Ditt personnummer sparas inte.")
        % {"name": name},
    )
    return pages.done(poll, reverse("accounts:bankid"))


def _stepped_up(
    request: HttpRequest, poll: pages.Poll, order: bankid.PendingAuth, personal_number: str
) -> HttpResponse:
    link = bankid.linked_bankid(request.user)
    if link is None or not bankid.is_same_person(link, personal_number):
        services.bankid_step_up_refused(user=request.user, request=request)
        return pages.finished(
            request,
            poll,
            _(
                "Det BankID du legitimerade dig med är inte det som är kopplat till ditt "
                "konto. Använd ditt eget BankID, eller bekräfta med lösenord och "
                "tvåstegsverifiering."
            ),
        )
    response = bankid.step_up_complete(request, next_url=order.next_url)
    if not poll.htmx:
        return response
    if response.status_code in (301, 302, 303) and response.get("Location"):
        return pages.hx_redirect(response["Location"])
    return pages.hx_redirect(order.next_url or reverse("accounts:bankid"))


@login_required
@require_POST
def bankid_cancel(request: HttpRequest) -> HttpResponse:
    _configured()
    order = bankid.auth_get(request.session, user=request.user)
    bankid.auth_cancel(request.session, user=request.user)
    messages.info(request, str(rfa.RFA["RFA6"]))
    return redirect(_retry_url(order))
