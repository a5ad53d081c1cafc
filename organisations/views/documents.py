"""Documents in the application: the list and the upload, a download and taking one back."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lov_portal.accounts.permissions import has_perm, require
from lov_portal.core.uploads import attachment_response

from .. import selectors, services
from ..forms import ApplicationDocumentForm
from ..models import ApplicationDocument, OrganisationApplication


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
