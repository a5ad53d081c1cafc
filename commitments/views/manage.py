"""Staff pages to add, edit, reorder and retire commitments, actions and development areas."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from agreements.models import Agreement
from agreements.selectors import agreement_get, principle_list
from lov_portal.accounts.decorators import View, staff_required
from lov_portal.accounts.permissions import permission_required
from lov_portal.core.http import or_404

from ..forms import ActionForm, CommitmentForm, DevelopmentAreaForm, RetireForm
from ..selectors import (
    action_get,
    action_open_list,
    commitment_active_list,
    commitment_get,
    development_area_get,
    development_area_list,
    development_area_open_list,
    organisation_choice_list,
    principle_list_for_manage,
    user_choice_list,
)
from ..services import (
    action_create,
    action_update,
    commitment_create,
    commitment_move,
    commitment_retire,
    commitment_update,
    development_area_create,
    development_area_update,
)


def _data(request: HttpRequest) -> object:
    # An empty POST is still a submission (request.POST or None would miss it).
    return request.POST if request.method == "POST" else None


def _form_page(request: HttpRequest, form: object, title: str) -> HttpResponse:
    return render(
        request,
        "commitments/manage_form.html",
        {"form": form, "title": title, "back": "commitments:manage"},
        status=400 if form.is_bound and form.errors else 200,
    )


def _edit(
    request: HttpRequest, form: object, save: Callable[..., object], *, done: str, title: str
) -> HttpResponse:
    """A management form: for a valid POST `save(**form.cleaned_data)` (a service) and back
    to the management page with `done`; a ValidationError from the service goes on the form;
    otherwise the form page."""
    if request.method == "POST" and form.is_valid():
        try:
            save(**form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, done)
            return redirect("commitments:manage")
    return _form_page(request, form, title)


def _edit_existing(
    request: HttpRequest,
    found: Callable[..., object],
    form: Callable[..., object],
    update: Callable[..., object],
    name: str,
    *,
    done: str,
    title: str,
) -> HttpResponse:
    """`_edit` for a row of the default agreement: `found(agreement=)` (404 when None), its
    `form(request, agreement, instance=)`, saved by `update(<name>=row, **cleaned_data)`."""
    agreement = or_404(agreement_get())
    row = or_404(found(agreement=agreement))
    save = partial(update, **{name: row})
    return _edit(request, form(request, agreement, instance=row), save, done=done, title=title)


def manage_view(*methods: str) -> Callable[[View], View]:
    """Staff (with MFA) who may manage commitments, with these HTTP methods only."""

    def decorator(view: View) -> View:
        checked = permission_required("commitments.manage")(require_http_methods(methods)(view))
        return staff_required(checked)

    return decorator


@manage_view("GET")
def manage_commitments(request: HttpRequest) -> HttpResponse:
    agreement = or_404(agreement_get())
    return render(
        request,
        "commitments/manage.html",
        {
            "principles": principle_list_for_manage(agreement=agreement),
            "areas": development_area_list(agreement=agreement),
        },
    )


# --- Commitments -----------------------------------------------------------------------------


def _commitment_form(
    request: HttpRequest, agreement: Agreement, **kwargs: object
) -> CommitmentForm:
    return CommitmentForm(
        _data(request),
        principles=principle_list(agreement=agreement),
        users=user_choice_list(),
        organisations=organisation_choice_list(commitment=kwargs.get("instance")),
        **kwargs,
    )


@manage_view("GET", "POST")
def commitment_create_view(request: HttpRequest) -> HttpResponse:
    form = _commitment_form(request, or_404(agreement_get()))
    if request.method == "POST" and form.is_valid():
        commitment = commitment_create(**form.cleaned_data)
        messages.success(request, _("Åtagandet är tillagt."))
        return redirect("commitments:detail", commitment.pk)
    return _form_page(request, form, _("Nytt åtagande"))


@manage_view("GET", "POST")
def commitment_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = or_404(agreement_get())
    commitment = or_404(commitment_get(pk=pk, agreement=agreement))
    form = _commitment_form(request, agreement, instance=commitment)
    if request.method == "POST" and form.is_valid():
        commitment_update(
            commitment=commitment,
            actor=request.user,
            changed=form.changed_data,
            request=request,
            **form.cleaned_data,
        )
        messages.success(request, _("Åtagandet är ändrat."))
        return redirect("commitments:detail", commitment.pk)
    return _form_page(request, form, _("Ändra åtagande"))


@manage_view("POST")
def commitment_move_view(request: HttpRequest, pk: int) -> HttpResponse:
    commitment = or_404(commitment_get(pk=pk, active=True))
    commitment_move(commitment=commitment, up=request.POST.get("direction") == "up")
    return redirect(f"{reverse('commitments:manage')}#princip-{commitment.principle_id}")


@manage_view("GET", "POST")
def commitment_retire_view(request: HttpRequest, pk: int) -> HttpResponse:
    commitment = or_404(commitment_get(pk=pk))
    form = RetireForm(_data(request))
    if request.method == "POST" and form.is_valid():
        commitment_retire(commitment=commitment, actor=request.user, request=request)
        messages.success(request, _("Åtagandet är avslutat. Historiken finns kvar."))
        return redirect("commitments:detail", commitment.pk)
    return render(
        request,
        "commitments/retire_confirm.html",
        {"commitment": commitment, "form": form},
        status=400 if form.is_bound and form.errors else 200,
    )


# --- Actions and development areas -----------------------------------------------------------


def _action_form(request: HttpRequest, agreement: Agreement, **kwargs: object) -> ActionForm:
    return ActionForm(
        _data(request),
        principles=principle_list(agreement=agreement),
        commitments=commitment_active_list(agreement=agreement),
        users=user_choice_list(),
        areas=development_area_open_list(agreement=agreement),
        **kwargs,
    )


@manage_view("GET", "POST")
def action_create_view(request: HttpRequest) -> HttpResponse:
    form = _action_form(request, or_404(agreement_get()))
    return _edit(request, form, action_create, done=_("Åtgärden är tillagd."), title=_("Ny åtgärd"))


@manage_view("GET", "POST")
def action_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    found = partial(action_get, pk=pk)
    edit = partial(_edit_existing, request, found, _action_form, action_update, "action")
    return edit(done=_("Åtgärden är ändrad."), title=_("Ändra åtgärd"))


def _area_form(request: HttpRequest, agreement: Agreement, **kwargs: object) -> DevelopmentAreaForm:
    return DevelopmentAreaForm(
        _data(request),
        commitments=commitment_active_list(agreement=agreement),
        actions=action_open_list(agreement=agreement),
        **kwargs,
    )


@manage_view("GET", "POST")
def area_create_view(request: HttpRequest) -> HttpResponse:
    agreement = or_404(agreement_get())
    form = _area_form(request, agreement)
    save = partial(development_area_create, agreement=agreement)
    done = _("Utvecklingsområdet är tillagt.")
    return _edit(request, form, save, done=done, title=_("Nytt utvecklingsområde"))


@manage_view("GET", "POST")
def area_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    found = partial(development_area_get, pk=pk)
    edit = partial(_edit_existing, request, found, _area_form, development_area_update, "area")
    return edit(done=_("Utvecklingsområdet är ändrat."), title=_("Ändra utvecklingsområde"))
