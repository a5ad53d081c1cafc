"""What the agreements views share: the organisation, agreement and version they act on."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.http import Http404, HttpRequest, HttpResponse

from lov_portal.accounts.permissions import require
from organisations import selectors as organisation_selectors
from organisations.models import Organisation

from .. import selectors
from ..models import Agreement, AgreementVersion


def organisation_or_404(slug: str) -> Organisation:
    organisation = organisation_selectors.organisation_get(slug=slug)
    if organisation is None:
        raise Http404
    return organisation


def for_organisation(perm: str) -> Callable[[Callable[..., HttpResponse]], Callable]:
    """The view acts for the organisation its URL names (`slug`), once `perm` on it is
    checked: the view gets `organisation=` instead of `slug` (404 for an unknown slug)."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, slug: str, **kwargs: object) -> HttpResponse:
            organisation = organisation_or_404(slug)
            require(request, perm, organisation)
            return view(request, organisation=organisation, **kwargs)

        return wrapper

    return decorator


def agreement_or_404(slug: str | None = None) -> Agreement:
    """The named agreement, or the portal's default one."""
    agreement = selectors.agreement_get(slug=slug)
    if agreement is None:
        raise Http404
    return agreement


def current_or_404() -> tuple[Agreement, AgreementVersion]:
    """The default agreement and its current version."""
    agreement = agreement_or_404()
    version = selectors.agreement_current_version(agreement=agreement)
    if version is None:
        raise Http404
    return agreement, version
