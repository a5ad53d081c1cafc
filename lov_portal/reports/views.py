from __future__ import annotations

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.views.decorators.http import require_GET, require_http_methods

from lov_portal.accounts.permissions import has_perm, require
from lov_portal.audit.services import audit_record

from .forms import ReportStartForm
from .models import EditionStatus, ReportEdition
from .selectors import report_edition_list
from .services import report_edition_create


@require_http_methods(["GET", "POST"])
def report_list(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        from django.contrib.auth.views import redirect_to_login

        return redirect_to_login(request.get_full_path())
    require(request, "reports.read_report")
    may_start = has_perm(request.user, "reports.start_report")
    form = ReportStartForm(request.POST or None)
    if request.method == "POST":
        require(request, "reports.start_report")
        if form.is_valid():
            report_edition_create(
                year=form.cleaned_data["year"], user=request.user, language=get_language()
            )
            return redirect("reports:list")
    return render(
        request,
        "reports/report_list.html",
        {"editions": report_edition_list(), "form": form, "may_start": may_start},
    )


@require_GET
def edition_status(request: HttpRequest, pk: int) -> HttpResponse:
    """The row of one edition; htmx polls it until the edition is finished."""
    require(request, "reports.read_report")
    edition = get_object_or_404(ReportEdition.objects.select_related("created_by"), pk=pk)
    return render(request, "reports/_edition_row.html", {"edition": edition})


@require_GET
def edition_download(request: HttpRequest, pk: int) -> FileResponse:
    require(request, "reports.read_report")
    edition = get_object_or_404(ReportEdition, pk=pk, status=EditionStatus.DONE)
    if not edition.file:
        raise Http404
    audit_record(
        actor=request.user,
        action="report.downloaded",
        obj=edition,
        data={"year": edition.year, "edition": edition.edition},
        request=request,
    )
    return FileResponse(
        edition.file.open("rb"),
        as_attachment=True,
        filename=f"uppfoljningsrapport-{edition.year}-utgava-{edition.edition}.pdf",
        content_type="application/pdf",
    )
