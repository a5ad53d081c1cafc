"""Public, language-neutral endpoints of the transparency logs (C2SP / RFC 9162 shapes)."""

from __future__ import annotations

import base64
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.views.decorators.http import require_safe

from lov_portal.core.cache import cache_public_page
from lov_portal.core.http import query_int

from . import selectors
from .keys import log_verifier_keys
from .models import Log

PAGE_LIMIT = 1000
VERIFIER = Path(settings.BASE_DIR) / "tools" / "lov_verify.py"


def _log(name: str | None) -> Log:
    log = selectors.log_by_name(name) if name else selectors.log_default()
    if log is None:
        raise Http404
    return log


def _text(body: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/plain; charset=utf-8")
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _json(value: dict[str, object]) -> JsonResponse:
    response = JsonResponse(value, json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _b64(values: list[bytes]) -> list[str]:
    return [base64.b64encode(v).decode() for v in values]


@require_safe
@cache_public_page
def checkpoint(request: HttpRequest, name: str | None = None) -> HttpResponse:
    """The latest signed checkpoint (text/plain, a C2SP signed note)."""
    latest = selectors.checkpoint_latest(_log(name))
    if latest is None:
        raise Http404
    return _text(latest.note)


@require_safe
@cache_public_page
def checkpoint_at(request: HttpRequest, size: int, name: str | None = None) -> HttpResponse:
    """An earlier checkpoint, by size (every checkpoint is kept)."""
    found = selectors.checkpoint_at_size(_log(name), size=size)
    if found is None:
        raise Http404
    return _text(found.note)


@require_safe
@cache_public_page
def vkey(request: HttpRequest, name: str | None = None) -> HttpResponse:
    """The verifier keys (note vkey form), the current one first."""
    _log(name)
    return _text("\n".join(log_verifier_keys()) + "\n")


@require_safe
@cache_public_page(params=("start", "limit"))
def entries(request: HttpRequest, name: str | None = None) -> HttpResponse:
    """Entries from `start`, at most `limit` (1,000), each with its exact bytes as `data`."""
    log = _log(name)
    start = query_int(request, "start", default=0)
    limit = query_int(request, "limit", default=PAGE_LIMIT, minimum=1)
    if start is None or limit is None:
        return HttpResponseBadRequest("start and limit are non-negative integers")
    items = selectors.entries_page(log, start=start, limit=min(limit, PAGE_LIMIT))
    return _json({"origin": log.origin, "start": start, "entries": items})


# A proof's query: the selector's keyword -> (query parameter, minimum), and the answer when
# one is missing or out of range.
INCLUSION_QUERY = (
    {"index": ("index", 0), "size": ("size", 1)},
    "index and size are required integers",
)
CONSISTENCY_QUERY = (
    {"first": ("from", 1), "second": ("to", 1)},
    "from and to are required positive integers",
)


def _proof(
    request: HttpRequest,
    name: str | None,
    prove: Callable[..., list[bytes]],
    query: tuple[dict[str, tuple[str, int]], str],
) -> HttpResponse:
    """`prove(log, **numbers)` for the numbers the query gives, as JSON under the query's
    names: 400 when one is missing or out of range, 404 when the log cannot prove it."""
    params, invalid = query
    log = _log(name)
    numbers = {key: query_int(request, param, minimum=low) for key, (param, low) in params.items()}
    if any(numbers[key] is None for key in params):
        return HttpResponseBadRequest(invalid)
    try:
        proof = prove(log, **numbers)
    except ValueError:
        raise Http404 from None
    shown = {param: numbers[key] for key, (param, _low) in params.items()}
    return _json({**shown, "proof": _b64(proof)})


@require_safe
@cache_public_page(params=("index", "size"))
def inclusion_proof(request: HttpRequest, name: str | None = None) -> HttpResponse:
    return _proof(request, name, selectors.inclusion, INCLUSION_QUERY)


@require_safe
@cache_public_page(params=("from", "to"))
def consistency_proof(request: HttpRequest, name: str | None = None) -> HttpResponse:
    return _proof(request, name, selectors.consistency, CONSISTENCY_QUERY)


@require_safe
def verifier(request: HttpRequest) -> HttpResponse:
    """The standalone verifier, the same file as tools/lov_verify.py in the repository."""
    response = HttpResponse(VERIFIER.read_bytes(), content_type="text/x-python; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="lov_verify.py"'
    return response
