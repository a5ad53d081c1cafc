"""The review of an application: staff's queue and decision, and the applicant's reply to a
request for more information."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from lov_portal.accounts.decorators import staff_required
from lov_portal.accounts.permissions import require
from lov_portal.core.http import or_404

from .. import selectors, services
from ..forms import ApplicantReplyForm, ReviewForm


@staff_required
def review_queue(request: HttpRequest) -> HttpResponse:
    require(request, "organisations.review_applications")
    return render(
        request,
        "organisations/review_queue.html",
        {"applications": selectors.application_queue()},
    )


@staff_required
@require_http_methods(["GET", "POST"])
def review_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require(request, "organisations.review_applications")
    application = selectors.application_get(pk=pk)
    if application is None:
        raise Http404
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.application_review(
            application=application, reviewer=request.user, **form.cleaned_data
        )
        messages.success(request, _("Beslutet är sparat och sökanden har fått e-post."))
        return redirect("organisations:review_queue")
    return render(
        request,
        "organisations/review_detail.html",
        {"application": application, "organisation": application.organisation, "form": form},
    )


@login_required
@require_http_methods(["GET", "POST"])
def application_reply(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = or_404(selectors.organisation_with_application(slug=slug))
    require(request, "organisations.reply_to_review", organisation)
    application = organisation.application
    requested = selectors.application_document_requested(application=application)
    form = ApplicantReplyForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        initial={"kind": requested.kind if requested else ""},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.application_reply(
                application=application,
                author=request.user,
                message=form.cleaned_data["message"],
                upload=form.cleaned_data["file"],
                kind=form.cleaned_data["kind"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Kompletteringen är inskickad."))
            return redirect("organisations:mine")
    return render(
        request,
        "organisations/reply.html",
        {
            "organisation": organisation,
            "form": form,
            "requested": requested,
            "request_review": selectors.application_review_latest(application=application),
        },
        status=400 if form.errors else 200,
    )
