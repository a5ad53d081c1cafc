"""The administrator's side: the representatives and their roles, invitations, and answering
membership requests."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from lov_portal.accounts.permissions import require
from lov_portal.core.http import or_404

from .. import selectors, services
from ..forms import InvitationForm, RoleForm
from ..models import MembershipRole


@login_required
@require_http_methods(["GET", "POST"])
def members(request: HttpRequest, slug: str) -> HttpResponse:
    """The administrator's page: representatives, their roles, and invitations."""
    organisation = or_404(selectors.organisation_get(slug=slug))
    require(request, "organisations.manage_organisation", organisation)
    form = InvitationForm(request.POST or None, prefix="invite")
    if request.method == "POST" and form.is_valid():
        try:
            services.invitation_create(
                organisation=organisation, invited_by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error("email", error)
        else:
            messages.success(
                request,
                _("En inbjudan har skickats till %(email)s.")
                % {"email": form.cleaned_data["email"]},
            )
            return redirect("organisations:members", slug=organisation.slug)
    return render(
        request,
        "organisations/members.html",
        {
            "organisation": organisation,
            "memberships": selectors.membership_list_for_organisation(organisation=organisation),
            "invitations": selectors.invitation_open_list(organisation=organisation),
            "roles": MembershipRole.choices,
            "form": form,
        },
    )


@login_required
@require_POST
def membership_role(request: HttpRequest, pk: int) -> HttpResponse:
    membership = or_404(selectors.membership_get(pk=pk))
    require(request, "organisations.manage_organisation", membership.organisation)
    form = RoleForm(request.POST)
    if form.is_valid():
        try:
            services.membership_role_set(
                membership=membership, role=form.cleaned_data["role"], changed_by=request.user
            )
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, _("Rollen är ändrad."))
    return redirect("organisations:members", slug=membership.organisation.slug)


@login_required
@require_POST
def membership_request_decide(request: HttpRequest, pk: int) -> HttpResponse:
    membership_request = or_404(selectors.membership_request_get(pk=pk))
    require(request, "organisations.manage_organisation", membership_request.organisation)
    accept = request.POST.get("decision") == "accept"
    services.membership_request_decide(
        membership_request=membership_request, decided_by=request.user, accept=accept
    )
    messages.success(request, _("Förfrågan är besvarad."))
    return redirect("organisations:mine")
