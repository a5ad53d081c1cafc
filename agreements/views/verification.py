"""Receipts and their verification: the organisation's sealed receipt, the public look-up
of a receipt code, and how to check the register."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from lov_portal.core.cache import (
    cache_public_page,
)
from organisations.models import Organisation

from .. import evidence, receipts, selectors
from ..forms import (
    ReceiptLookupForm,
)
from .common import for_organisation


@login_required
@require_GET
@for_organisation("agreements.download_receipt")
def receipt_download(
    request: HttpRequest, *, organisation: Organisation, code: str
) -> HttpResponse:
    """The organisation's sealed receipt of one of its signatures, the same bytes every time."""
    signature = selectors.signature_of_organisation(organisation=organisation, code=code)
    if signature is None:
        raise Http404
    receipt = receipts.receipt_get_or_create(signature=signature)
    response = HttpResponse(receipts.receipt_bytes(receipt), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="kvitto-{signature.receipt_code}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
def verify_lookup(request: HttpRequest) -> HttpResponse:
    form = ReceiptLookupForm(request.GET or None)
    if request.GET and form.is_valid():
        code = form.cleaned_data["code"].strip().upper()
        if selectors.signature_by_receipt(code=code) is not None:
            return redirect("agreements:verify", code=code)
        form.add_error(
            "code",
            _("Det finns inget kvitto med den koden. Kontrollera att du har skrivit av den rätt."),
        )
    return render(
        request, "agreements/verify.html", {"form": form}, status=404 if form.errors else 200
    )


@require_GET
def verify(request: HttpRequest, code: str) -> HttpResponse:
    signature = selectors.signature_by_receipt(code=code)
    if signature is None:
        form = ReceiptLookupForm({"code": code})
        form.is_valid()
        form.add_error(
            "code",
            _("Det finns inget kvitto med den koden. Kontrollera att du har skrivit av den rätt."),
        )
        return render(request, "agreements/verify.html", {"form": form}, status=404)
    withdrawal = getattr(signature, "withdrawal", None)
    return render(
        request,
        "agreements/verify.html",
        {
            "signature": signature,
            "intact": evidence.signature_entry_intact(signature),
            "log": evidence.signature_log_position(signature),
            "withdrawal": withdrawal,
            "is_current_version": signature.agreement_version.is_current,
            "form": ReceiptLookupForm(),
        },
    )


@require_GET
@cache_public_page
def how_to_verify(request: HttpRequest) -> HttpResponse:
    """ "Så kontrollerar du registret": the recipe, the key and the verifier."""
    return render(request, "agreements/how_to_verify.html", evidence.how_to_verify_context())
