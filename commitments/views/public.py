"""The public follow-up: every commitment with its status and history, one commitment's page,
and an update's attachment."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from agreements.selectors import agreement_get
from lov_portal.accounts.permissions import has_perm
from lov_portal.core.cache import cache_public_page
from lov_portal.core.choices import ResponsibleSide
from lov_portal.core.http import or_404
from lov_portal.core.uploads import attachment_response

from .. import charts
from ..forms import StatusUpdateForm
from ..models import CommitmentStatus
from ..selectors import (
    PublicFilters,
    commitment_choice_list,
    commitment_get_with_history,
    principle_list_with_history,
    status_counts,
    status_update_with_attachment_get,
)


@require_GET
@cache_public_page(params=("princip", "part", "status"))
def commitment_list(request: HttpRequest) -> HttpResponse:
    agreement = or_404(agreement_get())
    principles = list(principle_list_with_history(agreement=agreement))
    status_rows = [
        (principle, status_counts(principle.active_commitments)) for principle in principles
    ]
    filters = PublicFilters.parse(request.GET, principle_keys={p.key for p in principles})
    chosen = filters.as_query()
    return render(
        request,
        "commitments/commitment_list.html",
        {
            "agreement": agreement,
            "principles": principles,
            "shown_principles": filters.shown(principles),
            "chosen": chosen,
            "filtered": filters.filtered,
            "sides": ResponsibleSide.choices,
            "statuses": CommitmentStatus.choices,
            "status_rows": status_rows,
            "status_chart": charts.status_by_principle_svg(
                rows=[(p.display_name, counts) for p, counts in status_rows],
                chart_id="chart-status-public",
            ),
        },
    )


@require_GET
@cache_public_page
def commitment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    include_internal = has_perm(request.user, "commitments.view_internal")
    commitment = or_404(commitment_get_with_history(pk=pk, include_internal=include_internal))
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
            commitments=commitment_choice_list(commitment=commitment),
            can_mark_internal=has_perm(request.user, "commitments.mark_internal"),
            corrections_of=commitment,
        )
    return render(request, "commitments/commitment_detail.html", context)


@require_GET
def attachment_download(request: HttpRequest, pk: int) -> HttpResponse:
    """An update's attachment. Files are private: served here, after the same check as the
    update itself (internal updates only for staff)."""
    update = or_404(status_update_with_attachment_get(pk=pk))
    if update.is_internal and not has_perm(request.user, "commitments.view_internal"):
        raise Http404
    try:
        return attachment_response(update.attachment, filename=update.attachment_name)
    except FileNotFoundError as error:
        raise Http404 from error
