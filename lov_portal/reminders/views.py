from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from .selectors import reminder_preferences
from .services import reminder_preferences_set


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    rows = reminder_preferences(user=request.user)
    if request.method == "POST":
        wanted = set(request.POST.getlist("kind"))
        reminder_preferences_set(
            user=request.user,
            disabled_kinds=[row.key for row in rows if row.key not in wanted],
        )
        messages.success(request, _("Dina val av påminnelser är sparade."))
        return redirect("reminders:preferences")
    return render(request, "reminders/preferences.html", {"rows": rows})
