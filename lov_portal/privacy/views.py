import json

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from .forms import AccountDeleteForm
from .selectors import personal_data_export
from .services import IP_ADDRESS_RETENTION_DAYS, account_anonymise


@require_GET
@login_required
def overview(request: HttpRequest) -> HttpResponse:
    return render(request, "privacy/overview.html", {"retention_days": IP_ADDRESS_RETENTION_DAYS})


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
    form = AccountDeleteForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        user = request.user
        logout(request)
        account_anonymise(user=user, request=request)
        messages.success(request, _("Ditt konto är raderat."))
        return redirect("home")
    return render(request, "privacy/account_delete.html", {"form": form})
