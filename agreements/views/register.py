"""The public register of signatories (search, filters, order) and each signatory's profile."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_GET

from lov_portal.core.cache import (
    PAGE_TIMEOUT,
    cache_public_page,
    keep_only_params,
    public_cache_version,
)
from organisations import selectors as organisation_selectors

from .. import selectors
from ..filters import PAGE_PARAMS, RegisterFilterSet, page_filter_links
from .common import agreement_or_404

REGISTER_PAGE_SIZE = 50
# The query parameters the register reads (its filters and the page number); any others are
# ignored by the page cache.
REGISTER_PARAMS = (*PAGE_PARAMS, "sida")


@require_GET
@cache_public_page(params=REGISTER_PARAMS)
def register(request: HttpRequest) -> HttpResponse:
    """The register. Anonymous visitors get it from the page cache; for everyone else its
    content is a template fragment cached per public content version, language and query
    (`{% cache %}` in the template), and the queries below are lazy: a fragment hit runs none
    of them."""
    agreement = agreement_or_404()
    # Logged-in visitors too: the shared fragment must depend on nothing but these parameters
    # (the template echoes the query string into its links and hidden fields).
    keep_only_params(request, REGISTER_PARAMS)
    # Invalid filters are ignored, not errors: the page always answers. Lazy, like the
    # queries: building the filter set and its form is most of a fragment hit's time otherwise.
    filters = SimpleLazyObject(lambda: RegisterFilterSet.for_page(request.GET, agreement=agreement))
    query = SimpleLazyObject(lambda: filters.query)

    def page():
        return selectors.register_page(
            filters.qs,
            agreement=agreement,
            query=query,
            number=request.GET.get("sida"),
            per_page=REGISTER_PAGE_SIZE,
        )

    page = SimpleLazyObject(page)

    return render(
        request,
        "agreements/register.html",
        {
            "agreement": agreement,
            "form": SimpleLazyObject(lambda: filters.form),
            "query": query,
            "page": page,
            "rows": SimpleLazyObject(
                lambda: selectors.register_rows(page.object_list, left=query.left)
            ),
            "links": SimpleLazyObject(
                lambda: page_filter_links(
                    request.GET,
                    query,
                    municipalities=organisation_selectors.municipality_list(),
                    years=selectors.register_years(agreement=agreement),
                )
            ),
            "filtered": SimpleLazyObject(lambda: query.filtered),
            "fragment_timeout": PAGE_TIMEOUT,
            "public_version": public_cache_version(),
            "register_query": request.GET.urlencode(),
        },
    )


@require_GET
@cache_public_page
def profile(request: HttpRequest, slug: str) -> HttpResponse:
    agreement = agreement_or_404()
    organisation = selectors.register_profile(agreement=agreement, slug=slug)
    if organisation is None:
        raise Http404
    active = [s for s in organisation.signature_history if not hasattr(s, "withdrawal")]
    return render(
        request,
        "agreements/profile.html",
        {
            "agreement": agreement,
            "organisation": organisation,
            "history": organisation.signature_history,
            "active": active,
            "first_signed": min((s.signed_at for s in active), default=None),
        },
    )
