"""The register as open data: CSV, JSON and an Atom feed of new signatories."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from lov_portal.core import csv as portal_csv
from lov_portal.tlog.models import Checkpoint

from .. import evidence, selectors
from ..models import Agreement, Withdrawal
from .common import agreement_or_404


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
    agreement = agreement_or_404()

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
    agreement = agreement_or_404()
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
        return agreement_or_404()

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
