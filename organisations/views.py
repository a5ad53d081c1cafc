"""Organisation pages: applying to join, the staff review queue and membership requests."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lov_portal.accounts.decorators import staff_required
from lov_portal.accounts.permissions import has_perm, require
from lov_portal.core.http import or_404
from lov_portal.core.uploads import attachment_response

from . import selectors, services
from .forms import (
    ApplicantReplyForm,
    ApplicationDocumentForm,
    ContactForm,
    EligibilityForm,
    InvitationForm,
    MembershipRequestForm,
    OrganisationDetailsForm,
    ReviewForm,
    RoleForm,
)
from .models import (
    ApplicationDocument,
    EligibilityCriterion,
    MembershipRole,
    OrganisationApplication,
)

SESSION_KEY = "organisation_application"
STEPS = [
    ("uppgifter", OrganisationDetailsForm, gettext_lazy("Organisationen")),
    ("kontakt", ContactForm, gettext_lazy("Kontaktperson")),
    ("villkor", EligibilityForm, gettext_lazy("Villkor för att underteckna")),
]
STEP_NAMES = [name for name, _form, _title in STEPS]


def _saved(request: HttpRequest) -> dict[str, dict[str, list[str]]]:
    return request.session.get(SESSION_KEY, {})


def _save_step(request: HttpRequest, step: str, form: object) -> None:
    data = _saved(request)
    data[step] = {name: request.POST.getlist(name) for name in form.fields}
    request.session[SESSION_KEY] = data


def _as_querydict(raw: dict[str, list[str]]) -> QueryDict:
    query = QueryDict(mutable=True)
    for key, values in raw.items():
        query.setlist(key, values)
    return query


def _initial(form_class: type, raw: dict[str, list[str]]) -> dict[str, object]:
    """What the user typed last time, as initial values (so nothing typed is lost)."""
    initial: dict[str, object] = {}
    for name, field in form_class().fields.items():
        values = raw.get(name, [])
        widget = type(field.widget).__name__
        if widget == "CheckboxSelectMultiple":
            initial[name] = values
        elif widget == "CheckboxInput":
            initial[name] = bool(values) and values[-1] in {"on", "true", "True", "1"}
        elif values:
            initial[name] = values[-1]
    return initial


@login_required
@require_http_methods(["GET", "POST"])
def apply(request: HttpRequest, step: str = STEP_NAMES[0]) -> HttpResponse:
    require(request, "organisations.apply")
    if step not in STEP_NAMES:
        raise Http404
    index = STEP_NAMES.index(step)
    form_class = STEPS[index][1]
    saved = _saved(request)
    if request.method == "POST":
        form = form_class(request.POST)
        _save_step(request, step, form)
        if request.POST.get("action") == "back" and index > 0:
            return redirect("organisations:apply_step", step=STEP_NAMES[index - 1])
        if form.is_valid():
            if index + 1 < len(STEPS):
                return redirect("organisations:apply_step", step=STEP_NAMES[index + 1])
            return _apply_submit(request)
    else:
        initial = _initial(form_class, saved.get(step, {}))
        if step == "kontakt" and not initial.get("full_name"):
            initial["full_name"] = request.user.full_name
        form = form_class(initial=initial)
    return render(
        request,
        "organisations/apply.html",
        {
            "form": form,
            "step": step,
            "step_number": index + 1,
            "step_count": len(STEPS),
            "step_title": STEPS[index][2],
            "steps": [(name, title) for name, _f, title in STEPS],
            "is_last": index + 1 == len(STEPS),
        },
    )


def _apply_submit(request: HttpRequest) -> HttpResponse:
    saved = _saved(request)
    cleaned: dict[str, object] = {}
    for name, form_class, _title in STEPS:
        form = form_class(_as_querydict(saved.get(name, {})))
        if not form.is_valid():
            messages.error(request, _("Kontrollera uppgifterna i det här steget."))
            return redirect("organisations:apply_step", step=name)
        cleaned |= form.cleaned_data
    try:
        organisation = services.organisation_apply(
            applicant=request.user,
            name=cleaned["name"],
            organisation_number=cleaned["organisation_number"],
            legal_form=cleaned["legal_form"],
            municipalities=cleaned["municipalities"],
            whole_county=cleaned["whole_county"],
            website=cleaned["website"],
            description=cleaned["description"],
            contact_role=cleaned["contact_role"],
            eligibility=[c for c in EligibilityCriterion.values if cleaned.get(c) is True],
            applicant_name=cleaned["full_name"],
        )
    except services.OrganisationExistsError:
        messages.error(request, _("Organisationen finns redan i portalen."))
        return redirect("organisations:apply_step", step=STEP_NAMES[0])
    request.session.pop(SESSION_KEY, None)
    messages.success(
        request,
        _("Tack! Ansökan för %(name)s är inskickad. Du får e-post när den är granskad.")
        % {"name": organisation.name},
    )
    # Next: the documents the review needs (files cannot wait in the wizard's session).
    return redirect("organisations:documents", slug=organisation.slug)


@login_required
def my_organisations(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "organisations/mine.html",
        {"memberships": selectors.membership_list_for_user(user=request.user)},
    )


@staff_required
def review_queue(request: HttpRequest) -> HttpResponse:
    require(request, "organisations.review_applications")
    return render(
        request,
        "organisations/review_queue.html",
        {"applications": selectors.application_queue()},
    )


@staff_required
@require_http_methods(["GET", "POST"])
def review_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require(request, "organisations.review_applications")
    application = selectors.application_get(pk=pk)
    if application is None:
        raise Http404
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.application_review(
            application=application,
            reviewer=request.user,
            action=form.cleaned_data["action"],
            reason=form.cleaned_data["reason"],
            requested_document=form.cleaned_data["requested_document"],
        )
        messages.success(request, _("Beslutet är sparat och sökanden har fått e-post."))
        return redirect("organisations:review_queue")
    return render(
        request,
        "organisations/review_detail.html",
        {"application": application, "organisation": application.organisation, "form": form},
    )


@login_required
@require_http_methods(["GET", "POST"])
def application_reply(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = or_404(selectors.organisation_with_application(slug=slug))
    require(request, "organisations.reply_to_review", organisation)
    application = organisation.application
    requested = selectors.application_document_requested(application=application)
    form = ApplicantReplyForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        initial={"kind": requested.kind if requested else ""},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.application_reply(
                application=application,
                author=request.user,
                message=form.cleaned_data["message"],
                upload=form.cleaned_data["file"],
                kind=form.cleaned_data["kind"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Kompletteringen är inskickad."))
            return redirect("organisations:mine")
    return render(
        request,
        "organisations/reply.html",
        {
            "organisation": organisation,
            "form": form,
            "requested": requested,
            "request_review": selectors.application_review_latest(application=application),
        },
        status=400 if form.errors else 200,
    )


# --- Documents in the application ---------------------------------------------------------------


def _application_with_documents(request: HttpRequest, slug: str) -> OrganisationApplication:
    """404 for anyone but staff and the organisation's representatives: nobody else learns
    that the documents exist."""
    application = selectors.application_for_documents(slug=slug)
    if application is None or not has_perm(
        request.user, "organisations.view_application_documents", application.organisation
    ):
        raise Http404
    return application


@login_required
@require_http_methods(["GET", "POST"])
def documents(request: HttpRequest, slug: str) -> HttpResponse:
    """The application's documents: the administrator attaches them until the decision."""
    application = _application_with_documents(request, slug)
    organisation = application.organisation
    can_add = has_perm(request.user, "organisations.add_application_document", organisation)
    form = ApplicationDocumentForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
    )
    if request.method == "POST":
        require(request, "organisations.add_application_document", organisation)
        if form.is_valid():
            try:
                document = services.application_document_add(
                    application=application,
                    kind=form.cleaned_data["kind"],
                    upload=form.cleaned_data["file"],
                    uploaded_by=request.user,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    _("%(name)s är bifogad till ansökan.") % {"name": document.original_name},
                )
                return redirect("organisations:documents", slug=organisation.slug)
    return render(
        request,
        "organisations/documents.html",
        {
            "application": application,
            "organisation": organisation,
            "documents": selectors.application_document_list(application=application),
            "form": form if can_add else None,
            "can_delete": can_add,
        },
        status=400 if form.errors else 200,
    )


def _document(request: HttpRequest, pk: int) -> ApplicationDocument:
    """The document, or 404 for anyone but staff and the organisation's representatives."""
    document = selectors.application_document_get(pk=pk)
    if document is None or not has_perm(
        request.user,
        "organisations.view_application_documents",
        document.application.organisation,
    ):
        raise Http404
    return document


@require_GET
def document_download(request: HttpRequest, pk: int) -> HttpResponse:
    document = _document(request, pk)
    try:
        return attachment_response(
            document.file, filename=document.original_name, content_type=document.content_type
        )
    except FileNotFoundError as error:
        raise Http404 from error


@login_required
@require_POST
def document_delete(request: HttpRequest, pk: int) -> HttpResponse:
    document = _document(request, pk)
    organisation = document.application.organisation
    require(request, "organisations.manage_organisation", organisation)
    try:
        services.application_document_delete(document=document, deleted_by=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(
            request, _("%(name)s är borttagen från ansökan.") % {"name": document.original_name}
        )
    return redirect("organisations:documents", slug=organisation.slug)


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
                organisation=organisation,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                invited_by=request.user,
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
