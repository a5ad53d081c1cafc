"""The public site: thin views that ask selectors and render."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from agreements.models import PARTICIPATION_LEVEL_DESCRIPTIONS, ParticipationLevel
from agreements.selectors import agreement_current_version, agreement_get, signatory_count
from commitments.selectors import principle_list_with_commitments
from meetings.selectors import meeting_next


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    agreement = agreement_get()
    context: dict[str, object] = {"agreement": agreement}
    if agreement is not None:
        context.update(
            version=agreement_current_version(agreement=agreement),
            signatory_count=signatory_count(agreement=agreement),
            next_meeting=meeting_next(agreement=agreement),
        )
    return render(request, "portal/home.html", context)


@require_GET
def agreement_detail(request: HttpRequest) -> HttpResponse:
    agreement = agreement_get()
    if agreement is None:
        raise Http404
    levels = [
        (level.label, PARTICIPATION_LEVEL_DESCRIPTIONS[level]) for level in ParticipationLevel
    ]
    group = getattr(agreement, "cooperation_group", None)
    return render(
        request,
        "portal/agreement.html",
        {
            "agreement": agreement,
            "version": agreement_current_version(agreement=agreement),
            "principles": principle_list_with_commitments(agreement=agreement),
            "levels": levels,
            "mandate": group.mandate if group else [],
        },
    )


@require_GET
def accessibility_statement(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/accessibility.html")


@require_GET
def privacy_notice(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/privacy.html")


@never_cache
@require_GET
def health(request: HttpRequest) -> JsonResponse:
    """Liveness of the database and, when configured, Redis. 503 if any is down."""
    checks: dict[str, str] = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        checks["database"] = "ok"
    except Exception:  # noqa: BLE001 - any failure means "down"
        checks["database"] = "error"
    if settings.REDIS_URL:
        try:
            cache.set("health-check", "1", timeout=5)
            checks["redis"] = "ok" if cache.get("health-check") == "1" else "error"
        except Exception:  # noqa: BLE001
            checks["redis"] = "error"
    healthy = all(value == "ok" for value in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "error", "checks": checks}, status=200 if healthy else 503
    )
