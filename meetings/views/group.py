"""The cooperation group: its public page, and staff managing its members."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from lov_portal.accounts.decorators import staff_required
from lov_portal.accounts.permissions import has_perm, require
from lov_portal.core.cache import cache_public_page

from .. import services
from ..forms import EndTermForm, GroupMemberForm
from ..selectors import (
    group_composition,
    group_member_get,
    group_member_organisation_choices,
    group_member_roster,
    group_member_user_choices,
)
from .common import group_or_404, methods


@require_GET
@cache_public_page
def group_detail(request: HttpRequest) -> HttpResponse:
    group = group_or_404()
    composition = group_composition(group=group)
    return render(
        request,
        "meetings/group_detail.html",
        {
            "group": group,
            "composition": composition,
            "show_balance_warning": has_perm(request.user, "meetings.view_balance_warning", group)
            and not composition.is_balanced,
            "can_manage": has_perm(request.user, "meetings.manage_meetings", group),
            "can_manage_members": has_perm(request.user, "meetings.manage_members", group),
        },
    )


@staff_required
@methods
def group_members_manage(request: HttpRequest) -> HttpResponse:
    """Staff: every member the group has had, and a form to add one."""
    group = group_or_404()
    require(request, "meetings.manage_members", group)
    form = GroupMemberForm(
        request.POST if request.method == "POST" else None,
        organisations=group_member_organisation_choices(),
        users=group_member_user_choices(),
        initial={"term_start": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("email")
        try:
            member = services.group_member_add(group=group, by=request.user, **data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("%(name)s är tillagd i gruppen.") % {"name": member.user})
            return redirect("meetings:group_members")
    composition = group_composition(group=group)
    return render(
        request,
        "meetings/group_members.html",
        {
            "group": group,
            "roster": group_member_roster(group=group),
            "composition": composition,
            "form": form,
        },
        status=400 if form.is_bound and form.errors else 200,
    )


@staff_required
@methods
def group_member_end(request: HttpRequest, member_pk: int) -> HttpResponse:
    """Staff: end a member's term after an explicit confirmation. Nothing is deleted."""
    group = group_or_404()
    require(request, "meetings.manage_members", group)
    member = group_member_get(group=group, pk=member_pk)
    if member is None:
        raise Http404
    form = EndTermForm(
        request.POST if request.method == "POST" else None,
        initial={"term_end": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.group_member_end_term(
                member=member, term_end=form.cleaned_data["term_end"], by=request.user
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("Mandatet för %(name)s är avslutat.") % {"name": member.user}
            )
            return redirect("meetings:group_members")
    return render(
        request,
        "meetings/group_member_end.html",
        {"group": group, "member": member, "form": form},
        status=400 if form.is_bound and form.errors else 200,
    )
