"""A person's own side: the organisations they represent, asking to become a member of one and
accepting an invitation."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from lov_portal.accounts.permissions import require
from lov_portal.core.http import or_404

from .. import selectors, services
from ..forms import MembershipRequestForm


@login_required
def my_organisations(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "organisations/mine.html",
        {"memberships": selectors.membership_list_for_user(user=request.user)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def membership_request(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = or_404(selectors.organisation_get(slug=slug))
    require(request, "organisations.request_membership", organisation)
    form = MembershipRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_request_create(
                organisation=organisation, user=request.user, message=form.cleaned_data["message"]
            )
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(
                request, _("Din förfrågan är skickad till organisationens administratörer.")
            )
        return redirect("organisations:mine")
    return render(
        request,
        "organisations/membership_request.html",
        {"organisation": organisation, "form": form},
    )


@login_required
@require_http_methods(["GET", "POST"])
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    invitation = or_404(selectors.invitation_get(token=token))
    if request.method == "POST":
        try:
            services.invitation_accept(invitation=invitation, user=request.user)
        except services.InvitationError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _("Du företräder nu %(name)s.") % {"name": invitation.organisation.name},
            )
            return redirect("organisations:mine")
    return render(request, "organisations/invitation.html", {"invitation": invitation})
