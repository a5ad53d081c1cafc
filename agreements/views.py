"""Signing, withdrawal, the region's decision, receipts and the public register."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.syndication.views import Feed
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.formats import date_format
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from lov_portal.accounts.decorators import signatory_step_up, staff_required
from lov_portal.accounts.permissions import has_perm, require
from lov_portal.core import csv as portal_csv
from lov_portal.core.cache import (
    PAGE_TIMEOUT,
    cache_public_page,
    keep_only_params,
    public_cache_version,
)
from lov_portal.core.choices import PartySide
from lov_portal.core.http import client_ip
from lov_portal.tlog.models import Checkpoint
from organisations import selectors as organisation_selectors
from organisations.models import LegalForm, Organisation

from . import bankid, evidence, receipts, selectors, services
from .filters import PAGE_PARAMS, SORTS, RegisterFilterSet
from .forms import (
    BankIDSignForm,
    ReceiptLookupForm,
    RegionDecisionForm,
    SignForm,
    WithdrawForm,
)
from .models import Agreement, AgreementVersion, SignatureMethod, Withdrawal


def _organisation(slug: str) -> Organisation:
    organisation = organisation_selectors.organisation_get(slug=slug)
    if organisation is None:
        raise Http404
    return organisation


def _current() -> tuple[Agreement, AgreementVersion]:
    agreement = selectors.agreement_get()
    version = selectors.agreement_current_version(agreement=agreement) if agreement else None
    if agreement is None or version is None:
        raise Http404
    return agreement, version


@login_required
@require_GET
def organisation_signature(request: HttpRequest, slug: str) -> HttpResponse:
    """The organisation's own page about its signature: sign, confirm a new version, withdraw."""
    organisation = _organisation(slug)
    require(request, "agreements.view_organisation_signature", organisation)
    agreement, version = _current()
    history = selectors.signature_history(organisation=organisation, agreement=agreement)
    active = [s for s in history if not hasattr(s, "withdrawal")]
    signed_current = any(s.agreement_version_id == version.pk for s in active)
    return render(
        request,
        "agreements/organisation_signature.html",
        {
            "organisation": organisation,
            "agreement": agreement,
            "version": version,
            "history": history,
            "active": active,
            "signed_current": signed_current,
            "signed_earlier": [s for s in active if s.agreement_version_id != version.pk],
            "can_sign": has_perm(request.user, "agreements.sign", organisation),
            "can_withdraw": has_perm(request.user, "agreements.withdraw", organisation),
        },
    )


@login_required
@require_GET
def receipt_download(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    """The organisation's sealed receipt of one of its signatures, the same bytes every time."""
    organisation = _organisation(slug)
    require(request, "agreements.download_receipt", organisation)
    signature = selectors.signature_of_organisation(organisation=organisation, code=code)
    if signature is None:
        raise Http404
    receipt = receipts.receipt_get_or_create(signature=signature)
    response = HttpResponse(receipts.receipt_bytes(receipt), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="kvitto-{signature.receipt_code}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def sign(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = _organisation(slug)
    require(request, "agreements.sign", organisation)
    return _sign(request, organisation=organisation)


@signatory_step_up
def _sign(request: HttpRequest, *, organisation: Organisation) -> HttpResponse:
    agreement, version = _current()
    status_url = reverse("agreements:organisation_signature", args=[organisation.slug])
    if any(
        s.agreement_version_id == version.pk and not hasattr(s, "withdrawal")
        for s in selectors.signature_history(organisation=organisation, agreement=agreement)
    ):
        messages.info(request, _("Organisationen har redan undertecknat den gällande versionen."))
        return redirect(status_url)
    if request.method == "POST":
        return _sign_post(request, organisation=organisation, version=version)
    form = SignForm(initial={"signer_name": request.user.full_name})
    return _sign_render(request, organisation, version, form)


def _sign_render(
    request: HttpRequest,
    organisation: Organisation,
    version: AgreementVersion,
    form: SignForm | None,
    *,
    bankid_form: BankIDSignForm | None = None,
) -> HttpResponse:
    methods = bankid.signing_methods()
    return render(
        request,
        "agreements/sign.html",
        {
            "organisation": organisation,
            "version": version,
            "agreement": version.agreement,
            "methods": methods,
            "form": (form or SignForm(initial={"signer_name": request.user.full_name}))
            if SignatureMethod.PASSWORD in methods
            else None,
            "bankid_form": (bankid_form or BankIDSignForm(prefix="bankid"))
            if SignatureMethod.BANKID in methods
            else None,
        },
    )


def _sign_post(
    request: HttpRequest, *, organisation: Organisation, version: AgreementVersion
) -> HttpResponse:
    # The decorator sends the user to re-enter their password (or MFA code) first if they
    # have not just done so; allauth then replays this POST.
    if SignatureMethod.PASSWORD not in bankid.signing_methods():
        raise PermissionDenied  # staff allow only BankID (LOV_SIGNING_METHODS)
    form = SignForm(request.POST)
    if not form.is_valid():
        return _sign_render(request, organisation, version, form)
    try:
        signature = services.signature_sign(
            organisation=organisation,
            version=version,
            signer=request.user,
            signer_name=form.cleaned_data["signer_name"],
            signer_title=form.cleaned_data["signer_title"],
            authority_basis=form.cleaned_data["authority_basis"],
            authority_reference=form.cleaned_data["authority_reference"],
            ip_address=client_ip(request),
            user_agent=request.headers.get("user-agent", ""),
        )
    except services.AlreadySignedError:
        messages.info(request, _("Organisationen har redan undertecknat den gällande versionen."))
    else:
        messages.success(
            request,
            _(
                "Tack! %(name)s har undertecknat överenskommelsen. Ett kvitto har skickats till "
                "din e-post. Kvittokod: %(code)s"
            )
            % {"name": organisation.name, "code": signature.receipt_code},
        )
    return redirect("agreements:organisation_signature", slug=organisation.slug)


@login_required
@require_http_methods(["GET", "POST"])
def withdraw(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = _organisation(slug)
    require(request, "agreements.withdraw", organisation)
    return _withdraw(request, organisation=organisation)


@signatory_step_up
def _withdraw(request: HttpRequest, *, organisation: Organisation) -> HttpResponse:
    agreement, _version = _current()
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.withdrawal_create(
                organisation=organisation,
                agreement=agreement,
                withdrawn_by=request.user,
                reason=form.cleaned_data["reason"],
            )
        except services.NotSignedError:
            messages.info(request, _("Organisationen har ingen gällande underskrift."))
        else:
            messages.success(
                request,
                _("%(name)s har lämnat överenskommelsen. Historiken finns kvar.")
                % {"name": organisation.name},
            )
        return redirect("agreements:organisation_signature", slug=organisation.slug)
    return render(request, "agreements/withdraw.html", {"organisation": organisation, "form": form})


@staff_required
@require_http_methods(["GET", "POST"])
def region_decision(request: HttpRequest) -> HttpResponse:
    require(request, "agreements.register_decision")
    _agreement, version = _current()
    form = RegionDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.region_decision_register(
                organisation=form.cleaned_data["organisation"],
                version=version,
                decision_body=form.cleaned_data["decision_body"],
                decision_date=form.cleaned_data["decision_date"],
                decision_reference=form.cleaned_data["decision_reference"],
                registered_by=request.user,
            )
        except services.AlreadySignedError:
            form.add_error(
                "organisation", _("Ett beslut för den gällande versionen är redan registrerat.")
            )
        else:
            messages.success(request, _("Beslutet är registrerat i registret."))
            return redirect("agreements:region_decision")
    return render(request, "agreements/region_decision.html", {"form": form, "version": version})


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


REGISTER_PAGE_SIZE = 50
# The query parameters the register reads (its filters and the page number); any others are
# ignored by the page cache.
REGISTER_PARAMS = (*PAGE_PARAMS, "sida")


@require_GET
@cache_public_page(params=REGISTER_PARAMS)
def register(request: HttpRequest) -> HttpResponse:
    """The register. Anonymous visitors get it from the page cache; for everyone else its
    content is a template fragment cached per public content version, language and query
    (`{% cache %}` in the template), and the queries below are lazy: a fragment hit runs none
    of them."""
    agreement = selectors.agreement_get()
    if agreement is None:
        raise Http404
    # Logged-in visitors too: the shared fragment must depend on nothing but these parameters
    # (the template echoes the query string into its links and hidden fields).
    keep_only_params(request, REGISTER_PARAMS)
    # Invalid filters are ignored, not errors: the page always answers.
    filters = RegisterFilterSet.for_page(request.GET, agreement=agreement)
    query = filters.query

    def page():
        return Paginator(filters.qs, REGISTER_PAGE_SIZE).get_page(request.GET.get("sida"))

    return render(
        request,
        "agreements/register.html",
        {
            "agreement": agreement,
            "form": filters.form,
            "query": query,
            "page": SimpleLazyObject(page),
            "legal_forms": LegalForm.choices,
            "sides": PartySide.choices,
            "municipalities": SimpleLazyObject(organisation_selectors.municipality_list),
            "years": SimpleLazyObject(lambda: selectors.register_years(agreement=agreement)),
            "sorts": SORTS,
            "filtered": query.filtered,
            "fragment_timeout": PAGE_TIMEOUT,
            "public_version": public_cache_version(),
            "register_query": request.GET.urlencode(),
        },
    )


@require_GET
@cache_public_page
def profile(request: HttpRequest, slug: str) -> HttpResponse:
    agreement = selectors.agreement_get()
    if agreement is None:
        raise Http404
    organisation = selectors.register_profile(agreement=agreement, slug=slug)
    if organisation is None:
        raise Http404
    active = [s for s in organisation.signature_history if not hasattr(s, "withdrawal")]
    return render(
        request,
        "agreements/profile.html",
        {
            "agreement": agreement,
            "organisation": organisation,
            "history": organisation.signature_history,
            "active": active,
            "first_signed": min((s.signed_at for s in active), default=None),
        },
    )


def _open_data_rows(agreement: Agreement):
    for signature in selectors.register_signatures(agreement=agreement).iterator(chunk_size=1000):
        organisation = signature.organisation
        yield {
            "organisation": organisation.name,
            "organisation_number": signature.organisation_number,
            "legal_form": organisation.legal_form,
            "side": organisation.side,
            "municipalities": [m.name for m in organisation.municipalities.all()],
            "whole_county": organisation.whole_county,
            "website": organisation.website,
            "profile_url": settings.SITE_URL
            + reverse("agreements:profile", args=[organisation.slug]),
            "agreement_version": signature.agreement_version.number,
            "kind": signature.kind,
            "signed_at": signature.signed_at.astimezone(datetime.UTC).isoformat(),
            "decision_body": signature.decision_body,
            "decision_date": signature.decision_date.isoformat() if signature.decision_date else "",
            "decision_reference": signature.decision_reference,
            "text_sha256": signature.text_sha256,
            "previous_hash": signature.previous_hash,
            "record_hash": signature.record_hash,
        }


@require_GET
def register_csv(request: HttpRequest) -> HttpResponse:
    agreement = selectors.agreement_get()
    if agreement is None:
        raise Http404

    fields = [
        "organisation", "organisation_number", "legal_form", "side", "municipalities",
        "whole_county", "website", "profile_url", "agreement_version", "kind", "signed_at",
        "decision_body", "decision_date", "decision_reference", "text_sha256", "previous_hash",
        "record_hash",
    ]  # fmt: skip

    def rows():
        yield fields
        for row in _open_data_rows(agreement):
            row = {**row, "municipalities": "; ".join(row["municipalities"])}
            yield [row[name] for name in fields]

    response = StreamingHttpResponse(
        portal_csv.stream_lines(rows(), bom=True), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="undertecknare.csv"'
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_GET
def register_json(request: HttpRequest) -> JsonResponse:
    agreement = selectors.agreement_get()
    if agreement is None:
        raise Http404
    version = selectors.agreement_current_version(agreement=agreement)
    rows = list(_open_data_rows(agreement))
    response = JsonResponse(
        {
            "agreement": agreement.name,
            "current_version": version.number if version else None,
            "current_text_sha256": version.text_sha256 if version else None,
            "generated_at": timezone.now().astimezone(datetime.UTC).isoformat(),
            "count": len(rows),
            "signatories": rows,
        },
        json_dumps_params={"ensure_ascii": False},
    )
    response["Access-Control-Allow-Origin"] = "*"
    return response


class SignatoryFeed(Feed):
    """New signatories as an Atom feed."""

    feed_type = Atom1Feed

    def get_object(self, request: HttpRequest) -> Agreement:
        agreement = selectors.agreement_get()
        if agreement is None:
            raise Http404
        return agreement

    def title(self, obj: Agreement) -> str:
        return _("Nya undertecknare av %(name)s") % {"name": obj.name}

    def link(self, obj: Agreement) -> str:
        return reverse("agreements:register")

    def subtitle(self, obj: Agreement) -> str:
        return _("Organisationer som har undertecknat överenskommelsen, senaste först.")

    def items(self, obj: Agreement) -> list:
        # The latest signed checkpoint first: feed readers keep copies outside the server.
        checkpoint = evidence.agreement_checkpoint(obj)
        # Organisations that left stay in the feed, as an entry of their own (issue 16).
        events = sorted(
            [
                *selectors.register_latest(agreement=obj),
                *selectors.withdrawal_latest(agreement=obj),
            ],
            key=self.item_pubdate,
            reverse=True,
        )[:50]
        return [*([checkpoint] if checkpoint else []), *events]

    def item_title(self, item) -> str:
        if isinstance(item, Checkpoint):
            return _("Registrets checkpoint: %(size)s poster") % {"size": item.size}
        if isinstance(item, Withdrawal):
            return _("%(name)s har lämnat överenskommelsen") % {
                "name": item.signature.organisation.name
            }
        return item.organisation.name

    def item_description(self, item) -> str:
        if isinstance(item, Checkpoint):
            return item.note
        if isinstance(item, Withdrawal):
            return _("Lämnade överenskommelsen den %(date)s.") % {
                "date": date_format(timezone.localtime(item.withdrawn_at), "j F Y")
            }
        return _("Undertecknade version %(n)s den %(date)s.") % {
            "n": item.agreement_version.number,
            "date": date_format(timezone.localtime(item.signed_at), "j F Y"),
        }

    def item_link(self, item) -> str:
        if isinstance(item, Checkpoint):
            return reverse("agreements:how_to_verify")
        if isinstance(item, Withdrawal):
            return reverse("agreements:register") + "?status=lamnat"
        return reverse("agreements:profile", args=[item.organisation.slug])

    def item_guid(self, item) -> str:
        if isinstance(item, Checkpoint):
            return f"urn:lov:checkpoint:{item.log_id}:{item.size}:{item.root_hash}"
        if isinstance(item, Withdrawal):
            return f"urn:lov:withdrawal:{item.signature.record_hash}"
        return f"urn:lov:signature:{item.record_hash}"

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        if isinstance(item, Checkpoint):
            return item.created_at
        if isinstance(item, Withdrawal):
            return item.withdrawn_at
        return item.signed_at

    def item_updateddate(self, item):
        return self.item_pubdate(item)
