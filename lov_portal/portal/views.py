"""The public site: thin views that ask selectors and render."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from agreements.models import PARTICIPATION_LEVEL_DESCRIPTIONS, ParticipationLevel
from agreements.selectors import agreement_current_version, agreement_get, signatory_count
from commitments.selectors import principle_list_with_commitments
from lov_portal.core.cache import PERSON_TIMEOUT, cache_public_page, person_cache_key
from lov_portal.core.http import client_ip
from meetings.selectors import meeting_next

from .accessibility import ASSESSED_ON, AXE_CORE_VERSION, STATEMENT_UPDATED_ON
from .forms import AccessibilityReportForm
from .selectors import health_checks, healthy
from .services import accessibility_report_create
from .todo import todo_for_user


@require_GET
def favicon(request: HttpRequest) -> FileResponse:
    """/favicon.ico, which browsers and validators ask for whatever the page links."""
    response = FileResponse(
        open(settings.BASE_DIR / "static" / "favicon.ico", "rb"),  # noqa: SIM115 - FileResponse closes it
        content_type="image/x-icon",
    )
    response["Cache-Control"] = "public, max-age=86400"
    return response


@require_GET
@cache_public_page
def api_page(request: HttpRequest) -> HttpResponse:
    """A readable page about the open-data API, from its own OpenAPI schema (no CDN)."""
    from lov_portal.api import api

    schema = api.get_openapi_schema()
    endpoints = [
        {
            "method": method.upper(),
            "path": path,
            "summary": operation.get("summary", ""),
            "description": operation.get("description", ""),
            "parameters": [
                {
                    "name": parameter["name"],
                    "where": parameter.get("in", ""),
                    "required": parameter.get("required", False),
                    "description": parameter.get("description", "")
                    or parameter.get("schema", {}).get("description", ""),
                }
                for parameter in operation.get("parameters", [])
            ],
        }
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
    ]
    return render(
        request,
        "portal/api.html",
        {"endpoints": endpoints, "schema_url": "/api/v1/openapi.json", "version": schema["info"]},
    )


@login_required
@require_GET
def todo(request: HttpRequest) -> HttpResponse:
    """ "Att göra": the start page after login, only ever about the person asking. The lists
    are a fragment cached per person and content version (`person_cache_key`); the queries are
    lazy, so a fragment hit runs none of them."""
    user = request.user
    return render(
        request,
        "portal/todo.html",
        {
            "todo": SimpleLazyObject(lambda: todo_for_user(user=user)),
            "todo_key": person_cache_key(user),
            "todo_timeout": PERSON_TIMEOUT,
        },
    )


@require_GET
@cache_public_page
def home(request: HttpRequest) -> HttpResponse:
    agreement = agreement_get()
    context: dict[str, object] = {"agreement": agreement}
    if agreement is not None:
        context |= {
            "version": agreement_current_version(agreement=agreement),
            "signatory_count": signatory_count(agreement=agreement),
            "next_meeting": meeting_next(agreement=agreement),
        }
    return render(request, "portal/home.html", context)


@require_GET
@cache_public_page
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


# Each report e-mails staff: enough for a person, too few for a flood.
REPORTS_PER_HOUR_AND_ADDRESS = 10


def _report_rate_limited(request: HttpRequest) -> bool:
    key = f"accessibility-report:{client_ip(request) or ''}"
    cache.add(key, 0, timeout=60 * 60)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=60 * 60)
        count = 1
    return count > REPORTS_PER_HOUR_AND_ADDRESS


@require_http_methods(["GET", "POST"])
def accessibility_statement(request: HttpRequest) -> HttpResponse:
    """The accessibility statement, with the form for reporting a problem (open to everyone)."""
    if request.method == "POST":
        form = AccessibilityReportForm(request.POST)
        status = 400
        if form.is_valid() and _report_rate_limited(request):
            form.add_error(
                None,
                _(
                    "Du har skickat många rapporter på kort tid. Försök igen om en timme, eller "
                    "skriv till %(email)s."
                )
                % {"email": settings.PORTAL_CONTACT_EMAIL},
            )
            status = 429
        if form.is_valid():
            accessibility_report_create(
                **form.cleaned_data, language=get_language() or settings.LANGUAGE_CODE
            )
            messages.success(
                request,
                _(
                    "Tack! Din rapport har skickats till kansliet. Har du lämnat en "
                    "e-postadress får du svar dit."
                ),
            )
            return redirect(reverse("accessibility"))
    else:
        form = AccessibilityReportForm(initial={"page_url": request.GET.get("sida", "")[:500]})
        status = 200
    context = {
        "form": form,
        "axe_version": AXE_CORE_VERSION,
        "assessed_on": ASSESSED_ON,
        "updated_on": STATEMENT_UPDATED_ON,
    }
    return render(request, "portal/accessibility.html", context, status=status)


@require_GET
@cache_public_page
def privacy_notice(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/privacy.html")


@require_GET
def baseline(request: HttpRequest) -> HttpResponse:
    """A fixed short response (bench/load.py's yardstick; routed only when benchmarking)."""
    return HttpResponse("ok", content_type="text/plain")


@never_cache
@require_GET
def health(request: HttpRequest) -> JsonResponse:
    """Liveness of the database and, when configured, Redis. 503 if any is down."""
    checks = health_checks()
    ok = healthy(checks)
    return JsonResponse(
        {"status": "ok" if ok else "error", "checks": checks}, status=200 if ok else 503
    )
