import json

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from lov_portal.accounts.services import account_details_update
from lov_portal.bankid.client import bankid_configured
from organisations.selectors import organisations_only_admin

from .forms import AccountDeleteForm, AccountDetailsForm
from .selectors import personal_data_export
from .services import IP_ADDRESS_RETENTION_DAYS, LastAdminError, account_anonymise


@require_GET
@login_required
def overview(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "privacy/overview.html",
        {"retention_days": IP_ADDRESS_RETENTION_DAYS, "bankid_configured": bankid_configured()},
    )


@require_GET
@login_required
def export(request: HttpRequest) -> HttpResponse:
    data = personal_data_export(user=request.user)
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json"
    )
    filename = f"lov-portalen-mina-uppgifter-{timezone.localdate():%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@require_http_methods(["GET", "POST"])
@login_required
def account_delete(request: HttpRequest) -> HttpResponse:
    blocking = organisations_only_admin(user=request.user)
    if blocking:
        # Said before the form, not after the password: nothing the person types changes it.
        return render(request, "privacy/account_delete.html", {"blocking": blocking}, status=409)
    form = AccountDeleteForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        user = request.user
        try:
            account_anonymise(user=user, request=request)
        except LastAdminError as error:
            return render(
                request,
                "privacy/account_delete.html",
                {"blocking": error.organisations},
                status=409,
            )
        logout(request)
        messages.success(request, _("Ditt konto är raderat."))
        return redirect("home")
    return render(request, "privacy/account_delete.html", {"form": form})


@require_http_methods(["GET", "POST"])
@login_required
def details(request: HttpRequest) -> HttpResponse:
    """Name and the language of e-mails."""
    form = AccountDetailsForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        account_details_update(
            user=request.user,
            full_name=form.cleaned_data["full_name"],
            preferred_language=form.cleaned_data["preferred_language"],
        )
        messages.success(request, _("Dina uppgifter är sparade."))
        return redirect("privacy:overview")
    return render(request, "privacy/details.html", {"form": form})
