"""Export of commitments with their current status (language-neutral URLs in
`commitments/urls_machine.py`), and import of status updates (staff)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from agreements.selectors import agreement_get
from lov_portal.accounts.decorators import staff_required
from lov_portal.accounts.permissions import permission_required
from lov_portal.core.http import or_404

from ..csv_io import decode, export_csv, parse_import
from ..forms import ImportForm
from ..models import CommitmentStatus
from ..services import status_updates_import

SESSION_KEY = "commitments_import_csv"


@staff_required
@permission_required("commitments.manage")
@require_GET
def export_view(request: HttpRequest, excel: bool = False) -> HttpResponse:
    agreement = or_404(agreement_get())
    content = export_csv(agreement=agreement, excel=excel)
    suffix = "-excel" if excel else ""
    filename = f"ataganden-{timezone.localdate():%Y-%m-%d}{suffix}.csv"
    response = HttpResponse(content.encode("utf-8"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@staff_required
@permission_required("commitments.manage")
@require_http_methods(["GET", "POST"])
def import_view(request: HttpRequest) -> HttpResponse:
    """Upload → every row validated → preview → confirm. Nothing is saved before the
    confirmation, and nothing at all if any row is invalid."""
    agreement = or_404(agreement_get())
    if request.method == "POST" and request.POST.get("confirm") == "1":
        text = request.session.get(SESSION_KEY)
        if text is None:
            messages.error(request, _("Förhandsgranskningen har gått ut. Ladda upp filen igen."))
            return redirect("commitments:import")
        result = parse_import(agreement=agreement, text=text)
        if result.ok:
            updates = status_updates_import(result=result, author=request.user)
            del request.session[SESSION_KEY]
            messages.success(
                request,
                ngettext(
                    "Importen är klar: %(count)s ny statusuppdatering.",
                    "Importen är klar: %(count)s nya statusuppdateringar.",
                    len(updates),
                )
                % {"count": len(updates)},
            )
            return redirect("commitments:dashboard")
        return render(
            request,
            "commitments/import.html",
            {"form": ImportForm(), "result": result, "statuses": CommitmentStatus.choices},
            status=400,
        )
    posted = request.method == "POST"
    form = ImportForm(request.POST if posted else None, request.FILES if posted else None)
    result = None
    if request.method == "POST" and form.is_valid():
        text = decode(form.cleaned_data["file"].read())
        result = parse_import(agreement=agreement, text=text)
        if result.ok:
            request.session[SESSION_KEY] = text
    status = 400 if (form.is_bound and not form.is_valid()) or (result and not result.ok) else 200
    return render(
        request,
        "commitments/import.html",
        {"form": form, "result": result, "statuses": CommitmentStatus.choices},
        status=status,
    )
