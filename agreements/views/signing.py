"""An organisation's signature: its page, signing with a password, withdrawal, and the
region's decision registered by staff. Signing with BankID: agreements/views_bankid.py."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from lov_portal.accounts.bankid import linked_bankid
from lov_portal.accounts.decorators import signatory_step_up, staff_required
from lov_portal.accounts.permissions import has_perm, require
from lov_portal.core.http import client_ip
from organisations.models import Organisation

from .. import bankid, selectors, services
from ..forms import (
    BankIDSignForm,
    RegionDecisionForm,
    SignForm,
    WithdrawForm,
)
from ..models import AgreementVersion, SignatureMethod
from .common import current_or_404, for_organisation


@login_required
@require_GET
@for_organisation("agreements.view_organisation_signature")
def organisation_signature(request: HttpRequest, *, organisation: Organisation) -> HttpResponse:
    """The organisation's own page about its signature: sign, confirm a new version, withdraw."""
    agreement, version = current_or_404()
    history = selectors.signature_history(organisation=organisation, agreement=agreement)
    active = [s for s in history if not hasattr(s, "withdrawal")]
    signed_current = any(s.agreement_version_id == version.pk for s in active)
    return render(
        request,
        "agreements/organisation_signature.html",
        {
            "organisation": organisation,
            "agreement": agreement,
            "version": version,
            "history": history,
            "active": active,
            "signed_current": signed_current,
            "signed_earlier": [s for s in active if s.agreement_version_id != version.pk],
            "can_sign": has_perm(request.user, "agreements.sign", organisation),
            "can_withdraw": has_perm(request.user, "agreements.withdraw", organisation),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
@for_organisation("agreements.sign")
@signatory_step_up  # after the permission check: no right, 403 (not an MFA invitation)
def sign(request: HttpRequest, *, organisation: Organisation) -> HttpResponse:
    agreement, version = current_or_404()
    status_url = reverse("agreements:organisation_signature", args=[organisation.slug])
    if any(
        s.agreement_version_id == version.pk and not hasattr(s, "withdrawal")
        for s in selectors.signature_history(organisation=organisation, agreement=agreement)
    ):
        messages.info(request, _("Organisationen har redan undertecknat den gällande versionen."))
        return redirect(status_url)
    if request.method == "POST":
        return _sign_post(request, organisation=organisation, version=version)
    form = SignForm(initial={"signer_name": request.user.full_name})
    return _sign_render(request, organisation, version, form)


def _sign_render(
    request: HttpRequest,
    organisation: Organisation,
    version: AgreementVersion,
    form: SignForm | None,
    *,
    bankid_form: BankIDSignForm | None = None,
) -> HttpResponse:
    methods = bankid.signing_methods()
    return render(
        request,
        "agreements/sign.html",
        {
            "organisation": organisation,
            "version": version,
            "agreement": version.agreement,
            "methods": methods,
            "form": (form or SignForm(initial={"signer_name": request.user.full_name}))
            if SignatureMethod.PASSWORD in methods
            else None,
            "bankid_form": (bankid_form or BankIDSignForm(prefix="bankid"))
            if SignatureMethod.BANKID in methods
            else None,
            # Whose BankID may sign: only the linked one, or anyone's, in their own name.
            "bankid_link": linked_bankid(request.user)
            if SignatureMethod.BANKID in methods
            else None,
        },
    )


def sign_and_tell(
    request: HttpRequest,
    organisation: Organisation,
    version: AgreementVersion,
    *,
    thanks: str,
    **details: object,
) -> None:
    """Sign `version` for the organisation as the person making the request (whatever the
    method, `details`) and tell them how it went: `thanks` (with the organisation's
    %(name)s, the receipt's %(code)s and, if it likes, the %(signer)s named on the signature),
    or that the organisation had already signed."""
    try:
        signature = services.signature_sign(
            organisation=organisation,
            version=version,
            signer=request.user,
            ip_address=client_ip(request),
            user_agent=request.headers.get("user-agent", ""),
            **details,
        )
    except services.AlreadySignedError:
        messages.info(request, _("Organisationen har redan undertecknat den gällande versionen."))
    else:
        messages.success(
            request,
            thanks
            % {
                "name": organisation.name,
                "code": signature.receipt_code,
                "signer": signature.signer_name,
            },
        )


def _sign_post(
    request: HttpRequest, *, organisation: Organisation, version: AgreementVersion
) -> HttpResponse:
    # The decorator sends the user to re-enter their password (or MFA code) first if they
    # have not just done so; allauth then replays this POST.
    if SignatureMethod.PASSWORD not in bankid.signing_methods():
        raise PermissionDenied  # staff allow only BankID (LOV_SIGNING_METHODS)
    form = SignForm(request.POST)
    if not form.is_valid():
        return _sign_render(request, organisation, version, form)
    sign_and_tell(
        request,
        organisation,
        version,
        thanks=_(
            "Tack! %(name)s har undertecknat överenskommelsen. Ett kvitto har skickats till "
            "din e-post. Kvittokod: %(code)s"
        ),
        signer_name=form.cleaned_data["signer_name"],
        signer_title=form.cleaned_data["signer_title"],
        authority_basis=form.cleaned_data["authority_basis"],
        authority_reference=form.cleaned_data["authority_reference"],
    )
    return redirect("agreements:organisation_signature", slug=organisation.slug)


@login_required
@require_http_methods(["GET", "POST"])
@for_organisation("agreements.withdraw")
@signatory_step_up
def withdraw(request: HttpRequest, *, organisation: Organisation) -> HttpResponse:
    agreement, _version = current_or_404()
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.withdrawal_create(
                organisation=organisation,
                agreement=agreement,
                withdrawn_by=request.user,
                reason=form.cleaned_data["reason"],
            )
        except services.NotSignedError:
            messages.info(request, _("Organisationen har ingen gällande underskrift."))
        else:
            messages.success(
                request,
                _("%(name)s har lämnat överenskommelsen. Historiken finns kvar.")
                % {"name": organisation.name},
            )
        return redirect("agreements:organisation_signature", slug=organisation.slug)
    return render(request, "agreements/withdraw.html", {"organisation": organisation, "form": form})


@staff_required
@require_http_methods(["GET", "POST"])
def region_decision(request: HttpRequest) -> HttpResponse:
    require(request, "agreements.register_decision")
    _agreement, version = current_or_404()
    form = RegionDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.region_decision_register(
                organisation=form.cleaned_data["organisation"],
                version=version,
                decision_body=form.cleaned_data["decision_body"],
                decision_date=form.cleaned_data["decision_date"],
                decision_reference=form.cleaned_data["decision_reference"],
                registered_by=request.user,
            )
        except services.AlreadySignedError:
            form.add_error(
                "organisation", _("Ett beslut för den gällande versionen är redan registrerat.")
            )
        else:
            messages.success(request, _("Beslutet är registrerat i registret."))
            return redirect("agreements:region_decision")
    return render(request, "agreements/region_decision.html", {"form": form, "version": version})
