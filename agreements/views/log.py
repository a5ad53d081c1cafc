"""The register's side of the public log: what the rows say now, and the signed texts.

An outsider compares these with the log (tools/lov_verify.py does): a row changed, moved,
inserted or deleted behind the log's back shows as a difference.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.http import require_safe

from lov_portal.core.cache import cache_public_page

from .. import selectors
from ..evidence import register_public
from .common import agreement_or_404


@require_safe
@cache_public_page
def register(request: HttpRequest, name: str | None = None) -> HttpResponse:
    agreement = agreement_or_404(name)
    response = JsonResponse(
        {"agreement": agreement.slug, "records": register_public(agreement)},
        json_dumps_params={"ensure_ascii": False},
    )
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_safe
@cache_public_page
def version_text(request: HttpRequest, number: int, name: str | None = None) -> HttpResponse:
    """A published version's text in its canonical form: SHA-256 of these bytes is the
    version entry's text_sha256."""
    version = selectors.agreement_version_published(agreement=agreement_or_404(name), number=number)
    if version is None:
        raise Http404
    response = HttpResponse(version.text, content_type="text/plain; charset=utf-8")
    response["Access-Control-Allow-Origin"] = "*"
    return response
