from __future__ import annotations

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.views.decorators.http import require_GET, require_http_methods

from lov_portal.accounts.permissions import has_perm, require

from .forms import ReportStartForm
from .selectors import report_edition_get, report_edition_list
from .services import report_edition_create, report_edition_download


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
    edition = report_edition_get(pk=pk)
    if edition is None:
        raise Http404
    return render(request, "reports/_edition_row.html", {"edition": edition})


@require_GET
def edition_download(request: HttpRequest, pk: int) -> FileResponse:
    require(request, "reports.read_report")
    edition = report_edition_get(pk=pk, done=True)
    if edition is None or not edition.file:
        raise Http404
    report_edition_download(edition=edition, user=request.user, request=request)
    return FileResponse(
        edition.file.open("rb"),
        as_attachment=True,
        filename=f"uppfoljningsrapport-{edition.year}-utgava-{edition.edition}.pdf",
        content_type="application/pdf",
    )
