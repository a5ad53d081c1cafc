from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from lov_portal.accounts.decorators import staff_required

from .forms import AuditFilterForm
from .selectors import audit_action_choices, audit_event_list

PAGE_SIZE = 50


@require_GET
@staff_required
def event_list(request: HttpRequest) -> HttpResponse:
    form = AuditFilterForm(request.GET or None, actions=audit_action_choices())
    filters = form.cleaned_data if form.is_valid() else {}
    events = audit_event_list(**{k: v for k, v in filters.items() if v})
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("sida"))
    query = request.GET.copy()
    query.pop("sida", None)
    return render(
        request,
        "audit/event_list.html",
        {"form": form, "page": page, "query": query.urlencode()},
    )
