"""Meetings: the list, the yearly overview, a meeting's page, creating and changing one,
and its agenda."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from lov_portal.accounts.permissions import has_perm, require
from lov_portal.core.cache import cache_public_page

from .. import services
from ..forms import AgendaItemForm, MeetingForm
from ..models import MeetingKind
from ..selectors import meeting_years, meetings_split, minutes_awaiting_user, year_overview
from .common import agenda_item_or_404, group_or_404, meeting_or_404, methods


@require_GET
@cache_public_page
def meeting_list(request: HttpRequest) -> HttpResponse:
    group = group_or_404()
    upcoming, past = meetings_split(group=group)
    awaiting = (
        list(minutes_awaiting_user(user=request.user)) if request.user.is_authenticated else []
    )
    return render(
        request,
        "meetings/meeting_list.html",
        {
            "group": group,
            "upcoming": upcoming,
            "past": past,
            "awaiting": awaiting,
            "internal": has_perm(request.user, "meetings.view_meeting_details", group),
            "can_manage": has_perm(request.user, "meetings.manage_meetings", group),
            "overview": year_overview(group=group, year=timezone.localdate().year),
        },
    )


@require_GET
@cache_public_page
def year_overview_view(request: HttpRequest, year: int | None = None) -> HttpResponse:
    group = group_or_404()
    year = year or timezone.localdate().year
    if not 2000 <= year <= 2100:
        raise Http404
    overview = year_overview(group=group, year=year)
    years = meeting_years(group=group)
    kinds = dict(MeetingKind.choices)
    return render(
        request,
        "meetings/year_overview.html",
        {
            "group": group,
            "overview": overview,
            "kind_counts": [(kinds.get(k, k), n) for k, n in overview.by_kind.items()],
            # Links only to years that have meetings (a crawler once walked from 1999 to 2101).
            "previous_year": max((y for y in years if y < year), default=None),
            "next_year": min((y for y in years if y > year), default=None),
        },
    )


@require_GET
@cache_public_page
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = meeting_or_404(pk)
    minutes = getattr(meeting, "minutes", None) if hasattr(meeting, "minutes") else None
    internal = has_perm(request.user, "meetings.view_meeting_details", meeting)
    return render(
        request,
        "meetings/meeting_detail.html",
        {
            "meeting": meeting,
            "minutes": minutes,
            "internal": internal,
            "can_manage": has_perm(request.user, "meetings.manage_meetings", meeting.group),
            "minutes_visible": minutes is not None
            and (
                minutes.published_revision_id is not None
                or has_perm(request.user, "meetings.view_unpublished_minutes", minutes)
            ),
            "meeting_attachments": [
                a
                for a in meeting.attachments.all()
                if a.agenda_item_id is None and a.minutes_item_id is None
            ]
            if internal
            else [],
        },
    )


@login_required
@methods
def meeting_create(request: HttpRequest) -> HttpResponse:
    group = group_or_404()
    require(request, "meetings.manage_meetings", group)
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_create(group=group, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Mötet är skapat."))
            return redirect("meetings:meeting_detail", pk=meeting.pk)
    return render(request, "meetings/meeting_form.html", {"form": form, "meeting": None})


@login_required
@methods
def meeting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = meeting_or_404(pk)
    require(request, "meetings.manage_meetings", meeting.group)
    form = MeetingForm(request.POST or None, instance=meeting)
    if request.method == "POST" and form.is_valid():
        services.meeting_update(meeting=meeting, **form.cleaned_data)
        messages.success(request, _("Mötet är ändrat."))
        return redirect("meetings:meeting_detail", pk=meeting.pk)
    return render(request, "meetings/meeting_form.html", {"form": form, "meeting": meeting})


@login_required
@methods
def agenda_edit(request: HttpRequest, pk: int, item_pk: int | None = None) -> HttpResponse:
    """The agenda: the list of numbered items and a form to add one or change one."""
    meeting = meeting_or_404(pk)
    require(request, "meetings.manage_meetings", meeting.group)
    item = agenda_item_or_404(meeting, item_pk) if item_pk else None
    form = AgendaItemForm(request.POST or None, instance=item)
    if request.method == "POST" and form.is_valid():
        if item is None:
            services.agenda_item_create(meeting=meeting, **form.cleaned_data)
            messages.success(request, _("Punkten är tillagd på dagordningen."))
        else:
            services.agenda_item_update(item=item, **form.cleaned_data)
            messages.success(request, _("Punkten är ändrad."))
        return redirect("meetings:agenda_edit", pk=meeting.pk)
    return render(
        request, "meetings/agenda_edit.html", {"meeting": meeting, "form": form, "item": item}
    )


@login_required
@require_POST
def agenda_item_action(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    """Move an agenda item up or down, or remove it (after an explicit confirmation)."""
    meeting = meeting_or_404(pk)
    require(request, "meetings.manage_meetings", meeting.group)
    item = agenda_item_or_404(meeting, item_pk)
    action = request.POST.get("action")
    if action in ("up", "down"):
        services.agenda_item_move(item=item, up=action == "up")
    elif action == "delete":
        if request.POST.get("confirm") != "on":
            messages.error(request, _("Kryssa i rutan för att bekräfta att punkten ska tas bort."))
        else:
            services.agenda_item_delete(item=item)
            messages.success(request, _("Punkten är borttagen."))
    return redirect("meetings:agenda_edit", pk=meeting.pk)
