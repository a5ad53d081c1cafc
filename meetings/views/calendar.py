"""Meetings in calendars: one meeting's .ics file, the public feed, the private feed
behind a secret address, and the page that hands out that address."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from lov_portal.accounts.decorators import user_has_mfa
from lov_portal.accounts.permissions import has_perm, is_staff, require
from lov_portal.core.cache import cache_public_page
from lov_portal.core.http import absolute_url

from .. import services
from ..calendar import meetings_ics
from ..forms import ConfirmForm
from ..selectors import calendar_meetings, calendar_token_user
from .common import group_or_404, meeting_or_404, methods


def _ics_response(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
def meeting_ics(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = meeting_or_404(pk)
    private = has_perm(request.user, "meetings.view_meeting_details", meeting)
    day = timezone.localtime(meeting.starts_at).date().isoformat()
    return _ics_response(
        meetings_ics([meeting], name=str(meeting.group), private=private), f"mote-{day}.ics"
    )


@require_GET
@cache_public_page
def public_feed(request: HttpRequest) -> HttpResponse:
    group = group_or_404()
    return _ics_response(
        meetings_ics(calendar_meetings(group=group), name=group.name, private=False),
        "kalender.ics",
    )


@require_GET
def private_feed(request: HttpRequest, token: str) -> HttpResponse:
    user = calendar_token_user(token=token)
    if user is None:
        raise Http404
    group = group_or_404()
    if not has_perm(user, "meetings.use_private_calendar", group):
        raise Http404
    if is_staff(user) and not user_has_mfa(user):
        # The feed has no session for StaffMFAMiddleware to check: staff must still have MFA
        # for the staff view of the calendar (every meeting, with internal details).
        raise Http404
    meetings = calendar_meetings(group=group) if is_staff(user) else calendar_meetings(user=user)
    return _ics_response(
        meetings_ics(meetings, name=group.name, private=True), "samverkansgruppen.ics"
    )


@login_required
@methods
def calendar_settings(request: HttpRequest) -> HttpResponse:
    group = group_or_404()
    require(request, "meetings.use_private_calendar", group)
    if request.method == "POST":
        form = ConfirmForm(request.POST)
        if form.is_valid():
            services.calendar_token_renew(user=request.user)
            messages.success(
                request, _("Du har fått en ny adress. Den gamla adressen fungerar inte längre.")
            )
            return redirect("meetings:calendar_settings")
    else:
        form = ConfirmForm()
    token = services.calendar_token_get_or_create(user=request.user)
    return render(
        request,
        "meetings/calendar_settings.html",
        {
            "feed_url": absolute_url("meetings_private_feed", token.token),
            "public_url": absolute_url("meetings_public_feed"),
            "form": form,
        },
    )
