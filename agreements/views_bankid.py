"""Signing with BankID: start the order, show the animated QR code, poll, cancel.

The page and its polling are BankID's shared pieces (`lov_portal.bankid.pages`): the QR code
every second (`sign_bankid_qr`) and the order's status every two seconds
(`sign_bankid_collect`, a POST since a completed order creates the signature).
"""

from __future__ import annotations

import logging

import rules
from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from lov_portal.bankid import messages as rfa
from lov_portal.bankid import pages
from lov_portal.bankid.client import BankIDError
from lov_portal.bankid.verify import SignatureInvalid
from lov_portal.core.http import client_ip, or_404
from organisations.models import Organisation
from organisations.selectors import organisation_get

from . import bankid, selectors, services
from .forms import BankIDSignForm
from .models import AgreementVersion, SignatureMethod
from .views.signing import _sign_render, sign_and_tell

logger = logging.getLogger(__name__)


def _organisation(request: HttpRequest, slug: str) -> Organisation:
    organisation = or_404(organisation_get(slug=slug))
    if not rules.has_perm("agreements.sign", request.user, organisation):
        raise PermissionDenied
    if SignatureMethod.BANKID not in bankid.signing_methods():
        raise Http404
    return organisation


def _current_version() -> AgreementVersion:
    agreement = selectors.agreement_get()
    version = selectors.agreement_current_version(agreement=agreement) if agreement else None
    if version is None:
        raise Http404
    return version


def _url(name: str, organisation: Organisation) -> str:
    """The address of the agreements page `name` for the organisation."""
    return reverse(f"agreements:{name}", args=[organisation.slug])


@login_required
@require_POST
def sign_bankid_start(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = _organisation(request, slug)
    if getattr(settings, "LOV_SIGNING_REQUIRES_MFA", True) and not is_mfa_enabled(request.user):
        return redirect(_url("sign", organisation))  # the signing page sends them to set up MFA
    version = _current_version()
    if any(
        s.agreement_version_id == version.pk and not hasattr(s, "withdrawal")
        for s in selectors.signature_history(organisation=organisation, agreement=version.agreement)
    ):
        messages.info(request, _("Organisationen har redan undertecknat den gällande versionen."))
        return redirect("agreements:organisation_signature", slug=organisation.slug)
    form = BankIDSignForm(request.POST, prefix="bankid")
    if not form.is_valid():
        return _sign_render(request, organisation, version, None, bankid_form=form)
    bankid.order_cancel(request.session, organisation=organisation)  # one order at a time
    try:
        order = bankid.order_start(
            organisation=organisation,
            version=version,
            end_user_ip=client_ip(request) or "127.0.0.1",
            signer_title=form.cleaned_data["signer_title"],
            authority_basis=form.cleaned_data["authority_basis"],
            authority_reference=form.cleaned_data["authority_reference"],
        )
    except BankIDError as error:
        messages.error(request, rfa.error_message(error.error_code))
        return redirect(_url("sign", organisation))
    bankid.order_save(request.session, order)
    return redirect("agreements:sign_bankid", slug=organisation.slug)


@login_required
@require_GET
def sign_bankid(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = _organisation(request, slug)
    order = bankid.order_get(request.session, organisation=organisation)
    if order is None:
        return redirect(_url("sign", organisation))
    context = pages.order_context(
        order,
        message=rfa.collect_message("pending", "outstandingTransaction"),
        qr_url=_url("sign_bankid_qr", organisation),
        collect_url=_url("sign_bankid_collect", organisation),
        cancel_url=_url("sign_bankid_cancel", organisation),
        retry_url=_url("sign", organisation),
        done_label=_("Jag har skrivit under"),
    )
    return render(request, "agreements/sign_bankid.html", {"organisation": organisation, **context})


@login_required
@require_GET
def sign_bankid_qr(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = _organisation(request, slug)
    return pages.qr_response(bankid.order_get(request.session, organisation=organisation))


def _poll(request: HttpRequest, organisation: Organisation) -> pages.Poll:
    return pages.Poll.of(
        request,
        page_url=_url("sign_bankid", organisation),
        collect_url=_url("sign_bankid_collect", organisation),
        retry_url=_url("sign", organisation),
    )


@login_required
@require_POST
def sign_bankid_collect(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = _organisation(request, slug)
    poll = _poll(request, organisation)
    order = bankid.order_get(request.session, organisation=organisation)
    return pages.collect(
        request,
        poll,
        order,
        missing=_("Det finns ingen pågående underskrift."),
        forget=lambda: bankid.order_forget(request.session),
        complete=lambda result: _complete(request, organisation, order, result, poll),
    )


def _complete(request, organisation, order, result, poll: pages.Poll) -> HttpResponse:
    version = _current_version()
    if version.pk != order.version:
        return pages.finished(
            request,
            poll,
            _("Överenskommelsen fick en ny version medan du skrev under. Skriv under igen."),
        )
    try:
        verified = bankid.completion_verified(
            result, order, organisation=organisation, version=version
        )
    except SignatureInvalid as error:
        logger.warning(
            "BankID signature refused for %s (order %s): %s",
            organisation.slug,
            order.order_ref,
            error.reason,
        )
        return pages.finished(request, poll, str(rfa.SIGNATURE_INVALID))
    if not bankid.signed_by_account_holder(request.user, verified):
        # The QR code was scanned with someone else's BankID: their signature, not the
        # signatory's. The order is already forgotten (pages.collect); nothing is recorded.
        logger.warning(
            "BankID signature refused for %s (order %s): another person's BankID, not the one "
            "linked to user %s",
            organisation.slug,
            order.order_ref,
            request.user.pk,
        )
        services.signature_bankid_refused(
            organisation=organisation,
            version=version,
            signer=request.user,
            bankid_order_ref=order.order_ref,
            request=request,
        )
        return pages.finished(
            request,
            poll,
            _(
                "Underskriften gjordes med ett annat BankID än det som är kopplat till ditt "
                "konto. Ingenting har sparats. Skriv under med ditt eget BankID."
            ),
        )
    user = result.completion_data.get("user", {})
    sign_and_tell(
        request,
        organisation,
        version,
        thanks=_(
            "Tack! %(signer)s har undertecknat överenskommelsen för %(name)s med BankID. Ett "
            "kvitto har skickats till din e-post. Kvittokod: %(code)s"
        ),
        signer_name=user.get("name", ""),
        signer_title=order.signer_title,
        authority_basis=order.authority_basis,
        authority_reference=order.authority_reference,
        method=SignatureMethod.BANKID,
        bankid_order_ref=order.order_ref,
        bankid_completion=result.completion_data,
    )
    return pages.done(poll, _url("organisation_signature", organisation))


@login_required
@require_POST
def sign_bankid_cancel(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = _organisation(request, slug)
    bankid.order_cancel(request.session, organisation=organisation)
    messages.info(request, str(rfa.RFA["RFA6"]))
    return redirect(_url("sign", organisation))
