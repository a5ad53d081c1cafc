"""Staff pages to add, edit, reorder and retire commitments, actions and development areas."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from agreements.models import Agreement, Principle
from agreements.selectors import agreement_get, principle_list
from lov_portal.accounts.decorators import staff_required
from lov_portal.accounts.models import User
from lov_portal.accounts.permissions import permission_required
from lov_portal.audit.services import audit_record
from organisations.models import Organisation, OrganisationStatus

from .forms import ActionForm, CommitmentForm, DevelopmentAreaForm, RetireForm
from .models import Action, Commitment, DevelopmentArea
from .services import (
    action_create,
    action_update,
    commitment_create,
    commitment_move,
    commitment_retire,
    commitment_update,
    development_area_create,
    development_area_update,
)


def _agreement() -> Agreement:
    agreement = agreement_get()
    if agreement is None:
        raise Http404
    return agreement


def _data(request: HttpRequest) -> object:
    # An empty POST is still a submission (request.POST or None would miss it).
    return request.POST if request.method == "POST" else None


def _users():
    return User.objects.filter(is_active=True).order_by("email")


def _organisations(commitment: Commitment | None = None) -> QuerySet[Organisation]:
    """Approved organisations by name, plus any the commitment already names."""
    wanted = Q(status=OrganisationStatus.APPROVED)
    if commitment is not None:
        wanted |= Q(pk__in=commitment.responsible_organisations.values("pk"))
    return Organisation.objects.filter(wanted).order_by("name", "pk")


def _commitments(agreement: Agreement):
    return Commitment.objects.filter(
        principle__agreement=agreement, retired_at__isnull=True
    ).select_related("principle")


def _form_page(request: HttpRequest, form: object, title: str, back: str) -> HttpResponse:
    return render(
        request,
        "commitments/manage_form.html",
        {"form": form, "title": title, "back": back},
        status=400 if form.is_bound and form.errors else 200,
    )


@staff_required
@permission_required("commitments.manage")
@require_http_methods(["GET"])
def manage_commitments(request: HttpRequest) -> HttpResponse:
    agreement = _agreement()
    commitments = Commitment.objects.order_by("retired_at", "order", "pk")
    principles = (
        Principle.objects.filter(agreement=agreement)
        .order_by("order")
        .prefetch_related(
            Prefetch("commitments", queryset=commitments, to_attr="all_commitments"),
            Prefetch(
                "actions",
                queryset=Action.objects.select_related("owner", "commitment").order_by(
                    "order", "pk"
                ),
                to_attr="all_actions",
            ),
        )
    )
    areas = DevelopmentArea.objects.filter(agreement=agreement).prefetch_related(
        "commitments", "actions"
    )
    return render(
        request,
        "commitments/manage.html",
        {"principles": principles, "areas": areas},
    )


@staff_required
@permission_required("commitments.manage")
@require_http_methods(["GET", "POST"])
def commitment_create_view(request: HttpRequest) -> HttpResponse:
    agreement = _agreement()
    form = CommitmentForm(
        _data(request),
        principles=principle_list(agreement=agreement),
        users=_users(),
        organisations=_organisations(),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        commitment = commitment_create(
            principle=data["principle"],
            text=data["text"],
            responsible_side=data["responsible_side"],
            responsible_units=data["responsible_units"],
            participation_level=data["participation_level"],
            target_date=data["target_date"],
            owners=data["owners"],
            responsible_organisations=data["responsible_organisations"],
        )
        messages.success(request, _("Åtagandet är tillagt."))
        return redirect("commitments:detail", commitment.pk)
    return _form_page(request, form, _("Nytt åtagande"), "commitments:manage")


@staff_required
@permission_required("commitments.manage")
@require_http_methods(["GET", "POST"])
def commitment_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = _agreement()
    commitment = get_object_or_404(Commitment, pk=pk, principle__agreement=agreement)
    form = CommitmentForm(
        _data(request),
        instance=Commitment.objects.get(pk=pk),
        principles=principle_list(agreement=agreement),
        users=_users(),
        organisations=_organisations(commitment),
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        owners = data.pop("owners")
        organisations = data.pop("responsible_organisations")
        commitment_update(
            commitment=commitment,
            owners=owners,
            responsible_organisations=organisations,
            **data,
        )
        audit_record(
            actor=request.user,
            action="commitment.changed",
            obj=commitment,
            data={"fields": sorted(form.changed_data)},
            request=request,
        )
        messages.success(request, _("Åtagandet är ändrat."))
        return redirect("commitments:detail", commitment.pk)
    return _form_page(request, form, _("Ändra åtagande"), "commitments:manage")


@staff_required
@permission_required("commitments.manage")
@require_POST
def commitment_move_view(request: HttpRequest, pk: int) -> HttpResponse:
    commitment = get_object_or_404(Commitment, pk=pk, retired_at__isnull=True)
    commitment_move(commitment=commitment, up=request.POST.get("direction") == "up")
    return redirect(f"{reverse('commitments:manage')}#princip-{commitment.principle_id}")


@staff_required
@permission_required("commitments.manage")
@require_http_methods(["GET", "POST"])
def commitment_retire_view(request: HttpRequest, pk: int) -> HttpResponse:
    commitment = get_object_or_404(Commitment.objects.select_related("principle"), pk=pk)
    form = RetireForm(_data(request))
    if request.method == "POST" and form.is_valid():
        commitment_retire(commitment=commitment)
        audit_record(
            actor=request.user, action="commitment.retired", obj=commitment, request=request
        )
        messages.success(request, _("Åtagandet är avslutat. Historiken finns kvar."))
        return redirect("commitments:detail", commitment.pk)
    return render(
        request,
        "commitments/retire_confirm.html",
        {"commitment": commitment, "form": form},
        status=400 if form.is_bound and form.errors else 200,
    )


def _action_form(request: HttpRequest, agreement: Agreement, **kwargs: object) -> ActionForm:
    return ActionForm(
        _data(request),
        principles=principle_list(agreement=agreement),
        commitments=_commitments(agreement),
        users=_users(),
        areas=DevelopmentArea.objects.filter(agreement=agreement, retired_at__isnull=True),
        **kwargs,
    )


@staff_required
@permission_required("commitments.manage")
@require_http_methods(["GET", "POST"])
def action_create_view(request: HttpRequest) -> HttpResponse:
    agreement = _agreement()
    form = _action_form(request, agreement)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            action_create(**data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Åtgärden är tillagd."))
            return redirect("commitments:manage")
    return _form_page(request, form, _("Ny åtgärd"), "commitments:manage")


@staff_required
@permission_required("commitments.manage")
@require_http_methods(["GET", "POST"])
def action_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = _agreement()
    action = get_object_or_404(Action, pk=pk, principle__agreement=agreement)
    form = _action_form(request, agreement, instance=Action.objects.get(pk=pk))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        areas = data.pop("development_areas")
        try:
            action_update(action=action, development_areas=areas, **data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Åtgärden är ändrad."))
            return redirect("commitments:manage")
    return _form_page(request, form, _("Ändra åtgärd"), "commitments:manage")


def _area_form(request: HttpRequest, agreement: Agreement, **kwargs: object) -> DevelopmentAreaForm:
    return DevelopmentAreaForm(
        _data(request),
        commitments=_commitments(agreement),
        actions=Action.objects.filter(principle__agreement=agreement, retired_at__isnull=True),
        **kwargs,
    )


@staff_required
@permission_required("commitments.manage")
@require_http_methods(["GET", "POST"])
def area_create_view(request: HttpRequest) -> HttpResponse:
    agreement = _agreement()
    form = _area_form(request, agreement)
    if request.method == "POST" and form.is_valid():
        development_area_create(agreement=agreement, **form.cleaned_data)
        messages.success(request, _("Utvecklingsområdet är tillagt."))
        return redirect("commitments:manage")
    return _form_page(request, form, _("Nytt utvecklingsområde"), "commitments:manage")


@staff_required
@permission_required("commitments.manage")
@require_http_methods(["GET", "POST"])
def area_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = _agreement()
    area = get_object_or_404(DevelopmentArea, pk=pk, agreement=agreement)
    form = _area_form(request, agreement, instance=DevelopmentArea.objects.get(pk=pk))
    if request.method == "POST" and form.is_valid():
        development_area_update(area=area, **form.cleaned_data)
        messages.success(request, _("Utvecklingsområdet är ändrat."))
        return redirect("commitments:manage")
    return _form_page(request, form, _("Ändra utvecklingsområde"), "commitments:manage")
