"""Signing, withdrawal, the region's decision, receipts and the public register."""

from __future__ import annotations

import rules
from allauth.account.decorators import reauthentication_required
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from organisations.models import Organisation

from . import selectors, services
from .forms import ReceiptLookupForm, RegionDecisionForm, SignForm, WithdrawForm
from .models import Agreement, AgreementVersion


def _require(request: HttpRequest, perm: str, obj: object = None) -> None:
    if not rules.has_perm(perm, request.user, obj):
        raise PermissionDenied


def _current() -> tuple[Agreement, AgreementVersion]:
    agreement = selectors.agreement_get()
    version = selectors.agreement_current_version(agreement=agreement) if agreement else None
    if agreement is None or version is None:
        raise Http404
    return agreement, version


@login_required
@require_GET
def organisation_signature(request: HttpRequest, slug: str) -> HttpResponse:
    """The organisation's own page about its signature: sign, confirm a new version, withdraw."""
    organisation = get_object_or_404(Organisation, slug=slug)
    _require(request, "agreements.view_organisation_signature", organisation)
    agreement, version = _current()
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
            "can_sign": rules.has_perm("agreements.sign", request.user, organisation),
            "can_withdraw": rules.has_perm("agreements.withdraw", request.user, organisation),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def sign(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_object_or_404(Organisation, slug=slug)
    _require(request, "agreements.sign", organisation)
    agreement, version = _current()
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
    request: HttpRequest, organisation: Organisation, version: AgreementVersion, form: SignForm
) -> HttpResponse:
    return render(
        request,
        "agreements/sign.html",
        {
            "organisation": organisation,
            "version": version,
            "agreement": version.agreement,
            "form": form,
        },
    )


@reauthentication_required
def _sign_post(
    request: HttpRequest, *, organisation: Organisation, version: AgreementVersion
) -> HttpResponse:
    # The decorator sends the user to re-enter their password (or MFA code) first if they
    # have not just done so; allauth then replays this POST.
    form = SignForm(request.POST)
    if not form.is_valid():
        return _sign_render(request, organisation, version, form)
    try:
        signature = services.signature_sign(
            organisation=organisation,
            version=version,
            signer=request.user,
            signer_name=form.cleaned_data["signer_name"],
            signer_title=form.cleaned_data["signer_title"],
            authority_basis=form.cleaned_data["authority_basis"],
            authority_reference=form.cleaned_data["authority_reference"],
            ip_address=request.META.get("REMOTE_ADDR"),
            user_agent=request.headers.get("user-agent", ""),
        )
    except services.AlreadySignedError:
        messages.info(request, _("Organisationen har redan undertecknat den gällande versionen."))
    else:
        messages.success(
            request,
            _(
                "Tack! %(name)s har undertecknat överenskommelsen. Ett kvitto har skickats till "
                "din e-post. Kvittokod: %(code)s"
            )
            % {"name": organisation.name, "code": signature.receipt_code},
        )
    return redirect("agreements:organisation_signature", slug=organisation.slug)


@login_required
@require_http_methods(["GET", "POST"])
def withdraw(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_object_or_404(Organisation, slug=slug)
    _require(request, "agreements.withdraw", organisation)
    agreement, _version = _current()
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


@login_required
@require_http_methods(["GET", "POST"])
def region_decision(request: HttpRequest) -> HttpResponse:
    _require(request, "agreements.register_decision")
    _agreement, version = _current()
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


@require_GET
def verify_lookup(request: HttpRequest) -> HttpResponse:
    form = ReceiptLookupForm(request.GET or None)
    if request.GET and form.is_valid():
        code = form.cleaned_data["code"].strip().upper()
        if selectors.signature_by_receipt(code=code) is not None:
            return redirect("agreements:verify", code=code)
        form.add_error(
            "code",
            _("Det finns inget kvitto med den koden. Kontrollera att du har skrivit av den rätt."),
        )
    return render(
        request, "agreements/verify.html", {"form": form}, status=404 if form.errors else 200
    )


@require_GET
def verify(request: HttpRequest, code: str) -> HttpResponse:
    signature = selectors.signature_by_receipt(code=code)
    if signature is None:
        form = ReceiptLookupForm({"code": code})
        form.is_valid()
        form.add_error(
            "code",
            _("Det finns inget kvitto med den koden. Kontrollera att du har skrivit av den rätt."),
        )
        return render(request, "agreements/verify.html", {"form": form}, status=404)
    withdrawal = getattr(signature, "withdrawal", None)
    return render(
        request,
        "agreements/verify.html",
        {
            "signature": signature,
            "intact": selectors.signature_is_intact(signature),
            "withdrawal": withdrawal,
            "is_current_version": signature.agreement_version.is_current,
            "form": ReceiptLookupForm(),
        },
    )
