"""The staff follow-up page (`/uppfoljning/`): the status matrix, stale commitments, overdue
actions, recent updates, the update form and the filter."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_GET

from agreements.selectors import agreement_get, principle_list
from lov_portal.accounts.decorators import staff_required
from lov_portal.accounts.permissions import permission_required
from lov_portal.core.cache import PAGE_TIMEOUT, fragments_prefetch, public_cache_version
from lov_portal.core.http import or_404

from .. import charts
from ..forms import DashboardFilterForm, StatusUpdateForm
from ..models import CommitmentStatus
from ..selectors import DashboardFilters, commitment_active_list, dashboard_get


@staff_required
@permission_required("commitments.view_dashboard")
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    """The page's non-personal parts are template fragments cached per public content version
    (`{% cache %}` in dashboard.html; every commitment, update and action moves it), language,
    day (staleness and overdue actions depend on it) and filter. Only the server-side cache
    keeps them: the page itself stays private, and the CSRF token is rendered every time. The
    reads are lazy, so a fragment hit runs none of them."""
    agreement = or_404(agreement_get())
    filter_form = SimpleLazyObject(
        lambda: DashboardFilterForm(
            request.GET or None, principles=principle_list(agreement=agreement)
        )
    )
    # Unfiltered, the form (built only if its fragment is rendered) would say: everything.
    filters = filter_form.filters() if request.GET else DashboardFilters()
    data = SimpleLazyObject(lambda: dashboard_get(agreement=agreement, filters=filters))
    fragment_key = ":".join(
        [
            public_cache_version(),
            timezone.localdate().isoformat(),
            str(filters.principle or ""),
            filters.side,
            filters.status,
            "all" if not request.GET else "filtered",
        ]
    )
    # The template's fragments (dashboard.html, _update_form.html), read in one round trip.
    fragments = ["dashboard-matrix", "dashboard-update-fields", "dashboard-lists"]
    fragments_prefetch(
        [*fragments, "dashboard-filter"] if not request.GET else fragments,
        fragment_key,
        translation.get_language(),
    )
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
            "fragment_timeout": PAGE_TIMEOUT,
            "fragment_key": fragment_key,
            # A filter form with the user's (possibly invalid) input is rendered per request.
            "unfiltered": not request.GET,
            "next": request.get_full_path(),
        },
    )
