"""Thin views: parse input, check permission, call one service or selector, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from agreements.models import Agreement
from agreements.selectors import agreement_get, principle_list
from lov_portal.accounts.decorators import staff_required
from lov_portal.accounts.permissions import has_perm, is_staff
from lov_portal.core.cache import (
    PERSON_TIMEOUT,
    cache_public_page,
    person_cache_key,
    public_cache_version,
)
from lov_portal.core.choices import ResponsibleSide
from lov_portal.core.http import positive_int, safe_next
from lov_portal.core.uploads import attachment_response

from . import charts
from .forms import DashboardFilterForm, StatusUpdateForm
from .models import Commitment, CommitmentStatus, StatusUpdate
from .selectors import (
    DashboardFilters,
    commitment_active_list,
    commitment_get_with_history,
    commitment_owned_list,
    dashboard_get,
    principle_list_with_history,
)
from .services import status_update_create


def _agreement() -> Agreement:
    agreement = agreement_get()
    if agreement is None:
        raise Http404
    return agreement


def _reportable(user: object, agreement: Agreement) -> QuerySet[Commitment]:
    """The commitments this user may post updates on."""
    commitments = commitment_active_list(agreement=agreement)
    if is_staff(user):
        return commitments
    return commitments.filter(owners=user)


def _update_form(request: HttpRequest, agreement: Agreement, **kwargs: object) -> StatusUpdateForm:
    return StatusUpdateForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        commitments=_reportable(request.user, agreement),
        can_mark_internal=has_perm(request.user, "commitments.mark_internal"),
        **kwargs,
    )


@require_GET
@cache_public_page(params=("princip", "part", "status"))
def commitment_list(request: HttpRequest) -> HttpResponse:
    agreement = _agreement()
    principles = list(principle_list_with_history(agreement=agreement))
    status_rows = [
        (principle, _status_counts(principle.active_commitments)) for principle in principles
    ]
    chart = charts.status_by_principle_svg(
        rows=[(p.display_name, counts) for p, counts in status_rows],
        chart_id="chart-status-public",
    )
    # Filters are plain GET links (shareable); an unknown value is no filter.
    keys = {p.key for p in principles}
    allowed = {
        "princip": keys,
        "part": set(ResponsibleSide.values),
        "status": set(CommitmentStatus.values),
    }
    chosen = {
        name: value if (value := request.GET.get(name, "")) in values else ""
        for name, values in allowed.items()
    }
    shown = []
    for principle in principles:
        if chosen["princip"] and principle.key != chosen["princip"]:
            continue
        principle.shown_commitments = [
            c
            for c in principle.active_commitments
            if (not chosen["part"] or c.responsible_side == chosen["part"])
            and (not chosen["status"] or c.status == chosen["status"])
        ]
        shown.append(principle)
    return render(
        request,
        "commitments/commitment_list.html",
        {
            "agreement": agreement,
            "principles": principles,
            "shown_principles": shown,
            "chosen": chosen,
            "filtered": any(chosen.values()),
            "sides": ResponsibleSide.choices,
            "statuses": CommitmentStatus.choices,
            "status_rows": status_rows,
            "status_chart": chart,
        },
    )


def _status_counts(commitments: list[Commitment]) -> dict[str, int]:
    counts = dict.fromkeys(CommitmentStatus.values, 0)
    for commitment in commitments:
        counts[commitment.status] += 1
    return counts


@require_GET
@cache_public_page
def commitment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    include_internal = has_perm(request.user, "commitments.view_internal")
    commitment = commitment_get_with_history(pk=pk, include_internal=include_internal)
    if commitment is None:
        raise Http404
    context: dict[str, object] = {
        "commitment": commitment,
        "include_internal": include_internal,
        "can_manage": has_perm(request.user, "commitments.manage"),
    }
    if commitment.retired_at is None and has_perm(
        request.user, "commitments.post_update", commitment
    ):
        context["form"] = StatusUpdateForm(
            initial={"commitment": commitment.pk},
            commitments=Commitment.objects.filter(pk=commitment.pk).select_related("principle"),
            can_mark_internal=has_perm(request.user, "commitments.mark_internal"),
            corrections_of=commitment,
        )
    return render(request, "commitments/commitment_detail.html", context)


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


def _safe_next(request: HttpRequest, fallback: str) -> str:
    return safe_next(request, request.POST.get("next", ""), fallback)


@login_required
@require_POST
def status_update_post(request: HttpRequest) -> HttpResponse:
    """Post an update from the dashboard or a commitment's page.

    With htmx the answer is the form fragment (a result message on top, focus moved there);
    without JavaScript a redirect back, or a page with the form and its errors.
    """
    agreement = _agreement()
    raw = request.POST.get("commitment", "")
    chosen_pk = positive_int(raw)
    chosen = Commitment.objects.filter(pk=chosen_pk).first() if chosen_pk else None
    if chosen is not None and not has_perm(request.user, "commitments.post_update", chosen):
        raise PermissionDenied
    if chosen is None and not _reportable(request.user, agreement).exists():
        raise PermissionDenied
    form = _update_form(request, agreement, corrections_of=chosen)
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
    fallback = (
        reverse("commitments:detail", args=[update.commitment_id])
        if update
        else reverse("commitments:list")
    )
    if request.headers.get("HX-Request"):
        return _update_form_fragment(request, agreement, update=update, form=form)
    if update is not None:
        messages.success(request, _("Uppdateringen är sparad."))
        return redirect(_safe_next(request, fallback))
    return render(
        request,
        "commitments/status_update_page.html",
        {"form": form, "next": _safe_next(request, fallback)},
        status=400,
    )


def _update_form_fragment(
    request: HttpRequest, agreement: Agreement, *, update: object, form: StatusUpdateForm
) -> HttpResponse:
    if update is not None:
        form = StatusUpdateForm(
            commitments=_reportable(request.user, agreement),
            can_mark_internal=has_perm(request.user, "commitments.mark_internal"),
        )
    return render(
        request,
        "commitments/_update_form.html",
        # 200 even with errors: htmx only swaps successful responses.
        {"form": form, "update": update, "next": _safe_next(request, ""), "fragment": True},
    )


@staff_required
@require_http_methods(["GET"])
def dashboard(request: HttpRequest) -> HttpResponse:
    if not has_perm(request.user, "commitments.view_dashboard"):
        raise PermissionDenied
    agreement = _agreement()
    filter_form = DashboardFilterForm(
        request.GET or None, principles=principle_list(agreement=agreement)
    )
    filters = DashboardFilters()
    if filter_form.is_valid():
        principle = filter_form.cleaned_data["principle"]
        filters = DashboardFilters(
            principle=principle.pk if principle else None,
            side=filter_form.cleaned_data["side"],
            status=filter_form.cleaned_data["status"],
        )
    data = SimpleLazyObject(lambda: dashboard_get(agreement=agreement, filters=filters))
    return render(
        request,
        "commitments/dashboard.html",
        {
            "agreement": agreement,
            "filter_form": filter_form,
            "form": StatusUpdateForm(
                commitments=commitment_active_list(agreement=agreement),
                can_mark_internal=True,
            ),
            # The data-heavy parts are template fragments ({% cache %}) kept per this key: the
            # content version moves with every commitment, update and action, the day decides
            # staleness and overdue actions. The queries and charts are lazy, so a fragment
            # hit runs none of them. The page stays private; the CSRF token is per request.
            "parts_key": ":".join(
                [
                    public_cache_version(),
                    timezone.localdate().isoformat(),
                    str(filters.principle or ""),
                    filters.side,
                    filters.status,
                ]
            ),
            "unfiltered": not request.GET,
            "data": data,
            "statuses": CommitmentStatus.choices,
            "status_chart": SimpleLazyObject(
                lambda: charts.status_by_principle_svg(
                    rows=[(p.display_name, counts) for p, counts in data.matrix],
                    chart_id="chart-status",
                )
            ),
            "months_chart": SimpleLazyObject(
                lambda: charts.updates_over_time_svg(
                    points=data.updates_by_month, chart_id="chart-updates"
                )
            ),
            "next": request.get_full_path(),
        },
    )


@require_GET
def attachment_download(request: HttpRequest, pk: int) -> HttpResponse:
    """An update's attachment. Files are private: served here, after the same check as the
    update itself (internal updates only for staff)."""
    update = StatusUpdate.objects.filter(pk=pk).exclude(attachment="").first()
    if update is None:
        raise Http404
    if update.is_internal and not has_perm(request.user, "commitments.view_internal"):
        raise Http404
    try:
        return attachment_response(update.attachment, filename=update.attachment_name)
    except FileNotFoundError as error:
        raise Http404 from error
