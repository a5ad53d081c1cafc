"""What owners (and staff) report: "Mina åtaganden" and posting a status update."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from agreements.selectors import agreement_get
from lov_portal.accounts.permissions import has_perm
from lov_portal.core.cache import PERSON_TIMEOUT, person_cache_key
from lov_portal.core.http import or_404, positive_int, safe_next

from ..forms import StatusUpdateForm
from ..selectors import (
    commitment_get,
    commitment_owned_list,
    commitment_reportable_any,
    commitment_reportable_list,
)
from ..services import status_update_create


@login_required
@require_GET
def my_commitments(request: HttpRequest) -> HttpResponse:
    """Mina åtaganden: what the logged-in user reports on, with a way to post an update."""
    user = request.user
    return render(
        request,
        "commitments/my_commitments.html",
        {
            # A fragment kept per person and content version: a hit runs no query.
            "commitments": SimpleLazyObject(lambda: list(commitment_owned_list(user=user))),
            "mine_key": person_cache_key(user),
            "mine_timeout": PERSON_TIMEOUT,
        },
    )


def _update_form(request: HttpRequest, reportable: object, **kwargs: object) -> StatusUpdateForm:
    return StatusUpdateForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        commitments=reportable,
        can_mark_internal=has_perm(request.user, "commitments.mark_internal"),
        **kwargs,
    )


@login_required
@require_POST
def status_update_post(request: HttpRequest) -> HttpResponse:
    """Post an update from the dashboard or a commitment's page.

    With htmx the answer is the form fragment (a result message on top, focus moved there);
    without JavaScript a redirect back, or a page with the form and its errors.
    """
    agreement = or_404(agreement_get())
    reportable = commitment_reportable_list(agreement=agreement, user=request.user)
    chosen = commitment_get(pk=positive_int(request.POST.get("commitment", "")))
    if chosen is not None and not has_perm(request.user, "commitments.post_update", chosen):
        raise PermissionDenied
    if chosen is None and not commitment_reportable_any(agreement=agreement, user=request.user):
        raise PermissionDenied
    form = _update_form(request, reportable, corrections_of=chosen)
    update = None
    if form.is_valid():
        try:
            update = status_update_create(
                commitment=form.cleaned_data["commitment"],
                author=request.user,
                status=form.cleaned_data["status"],
                refers_to=form.cleaned_data["refers_to"],
                narrative=form.cleaned_data["narrative"],
                links=form.cleaned_data["links"],
                is_internal=form.cleaned_data.get("is_internal", False),
                corrects=form.cleaned_data.get("corrects"),
                attachment=form.cleaned_data.get("attachment"),
            )
        except ValidationError as error:
            form.add_error(None, error)
    next_url = request.POST.get("next", "")
    if request.headers.get("HX-Request"):
        if update is not None:
            form = StatusUpdateForm(
                commitments=reportable,
                can_mark_internal=has_perm(request.user, "commitments.mark_internal"),
            )
        return render(
            request,
            "commitments/_update_form.html",
            # 200 even with errors: htmx only swaps successful responses.
            {
                "form": form,
                "update": update,
                "next": safe_next(request, next_url, ""),
                "fragment": True,
            },
        )
    fallback = (
        reverse("commitments:detail", args=[update.commitment_id])
        if update
        else reverse("commitments:list")
    )
    if update is not None:
        messages.success(request, _("Uppdateringen är sparad."))
        return redirect(safe_next(request, next_url, fallback))
    return render(
        request,
        "commitments/status_update_page.html",
        {"form": form, "next": safe_next(request, next_url, fallback)},
        status=400,
    )
