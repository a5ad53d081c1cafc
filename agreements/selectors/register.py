"""Reads for the public register: search, filters, order, the page's rows, the feeds and a
signatory's profile (split from agreements.selectors, issue 17)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TypedDict

from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import (
    Count,
    Exists,
    Max,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.translation import gettext

from organisations.models import LegalForm, Organisation

from ..models import Agreement, Signature, Withdrawal

# Must match the expression of the GIN index (organisations migration 0004) to use it.
SEARCH_SQL = (
    "to_tsvector('swedish'::regconfig, \"organisations_organisation\".\"name\" || ' ' || "
    '"organisations_organisation"."description") '
    "@@ websearch_to_tsquery('swedish'::regconfig, %s)"
)
SEARCH_IDS_SQL = "SELECT id FROM organisations_organisation WHERE " + SEARCH_SQL  # noqa: S608  # nosec B608 - constant SQL; the query is a bound parameter


def _search_matches(q: str) -> list[int]:
    """The ids matching a full-text search, read from the GIN index in a query of their own.

    As a subquery, PostgreSQL sometimes walked the name index and parsed every organisation's
    text (33-100 ms), and without statistics (right after a bulk load) it re-ran the parse for
    every signatory: minutes. Fetched first, the plan cannot go wrong.
    """
    with connection.cursor() as cursor:
        cursor.execute(SEARCH_IDS_SQL, [q])
        return [row[0] for row in cursor.fetchall()]


ORGANISATION_NUMBER_RE = re.compile(r"^\d{6}-?\d{0,4}$")
REGISTER_SORTS = {
    "namn": ("name_lower", "pk"),
    "nyast": ("-signed_at", "pk"),
    "aldst": ("signed_at", "pk"),
}


@dataclass
class RegisterQuery:
    q: str = ""
    legal_form: str = ""
    municipality: str = ""
    year: int | None = None
    side: str = ""
    sort: str = "namn"
    # Organisations that have left (signed once, no active signature), with the date they left.
    left: bool = False

    # The ids a full-text search matched, read once (`search_matches`).
    _matches: list[int] | None = field(default=None, init=False, repr=False, compare=False)

    def search_matches(self) -> list[int] | None:
        """The ids of the organisations the full-text search matches (PostgreSQL), read from
        the GIN index once per query; None when `q` is no such search."""
        q = self.q.strip()
        if not q or ORGANISATION_NUMBER_RE.match(q) or connection.vendor != "postgresql":
            return None
        if self._matches is None:
            self._matches = _search_matches(q)
        return self._matches

    @property
    def filtered(self) -> bool:
        """Narrowed by a search or a filter (the order and `left` narrow nothing)."""
        return bool(self.q or self.legal_form or self.municipality or self.year or self.side)


def _active_signatures(agreement: Agreement) -> QuerySet[Signature]:
    # NOT EXISTS rather than `withdrawal__isnull=True`: Django writes the latter as a LEFT JOIN
    # with "withdrawal.id IS NULL", which PostgreSQL cannot turn into an anti-join and estimates
    # at one row, so it planned the register's queries for one signatory instead of thousands.
    withdrawn = Withdrawal.objects.filter(signature=OuterRef("pk"))
    return Signature.objects.filter(agreement_version__agreement=agreement).filter(
        ~Exists(withdrawn)
    )


def register_list(*, agreement: Agreement, query: RegisterQuery) -> QuerySet[Organisation]:
    """Organisations with an active signature of any version, filtered, searched and sorted;
    with `query.left`, those that signed and have left, with `left_at`."""
    if query.left:
        signed = Signature.objects.filter(
            agreement_version__agreement=agreement, organisation=OuterRef("pk")
        )
        active = _active_signatures(agreement).filter(organisation=OuterRef("pk"))
        organisations = (
            Organisation.objects.filter(Exists(signed))
            .exclude(Exists(active))
            .annotate(
                signed_at=Subquery(signed.order_by("signed_at").values("signed_at")[:1]),
                signed_version=Subquery(
                    signed.order_by("-agreement_version__number").values(
                        "agreement_version__number"
                    )[:1]
                ),
                left_at=Subquery(
                    Withdrawal.objects.filter(
                        signature__organisation=OuterRef("pk"),
                        signature__agreement_version__agreement=agreement,
                    )
                    .order_by("-withdrawn_at")
                    .values("withdrawn_at")[:1]
                ),
                name_lower=Lower("name"),
            )
        )
    elif query.sort in ("nyast", "aldst") or query.year:
        # Sorting or filtering by the signing date needs it for every signatory: one grouped
        # join is far cheaper than a correlated subquery per organisation (150 ms at 5000).
        organisations = Organisation.objects.filter(
            signatures__in=_active_signatures(agreement).values("pk")
        ).annotate(
            signed_at=Min("signatures__signed_at"),
            signed_version=Max("signatures__agreement_version__number"),
            name_lower=Lower("name"),
        )
    else:
        # By name, PostgreSQL walks the name index and stops when the page is full, so the
        # subqueries only run for the organisations shown.
        active = _active_signatures(agreement).filter(organisation=OuterRef("pk"))
        organisations = Organisation.objects.filter(Exists(active)).annotate(
            signed_at=Subquery(active.order_by("signed_at").values("signed_at")[:1]),
            signed_version=Subquery(
                active.order_by("-agreement_version__number").values("agreement_version__number")[
                    :1
                ]
            ),
            name_lower=Lower("name"),
        )
    organisations = organisations.prefetch_related("municipalities")
    q = query.q.strip()
    if q:
        if ORGANISATION_NUMBER_RE.match(q):
            organisations = organisations.filter(organisation_number__startswith=q[:11])
        elif connection.vendor == "postgresql":
            organisations = organisations.filter(id__any=query.search_matches())
        else:
            organisations = organisations.filter(Q(name__icontains=q) | Q(description__icontains=q))
    if query.legal_form:
        organisations = organisations.filter(legal_form=query.legal_form)
    if query.side:
        organisations = organisations.filter(side=query.side)
    if query.municipality:
        located = Organisation.municipalities.through.objects.filter(
            municipality__code=query.municipality
        ).values("organisation_id")
        organisations = organisations.filter(Q(pk__in=located) | Q(whole_county=True))
    if query.year:
        organisations = organisations.filter(signed_at__year=query.year)
    return organisations.order_by(*REGISTER_SORTS.get(query.sort, REGISTER_SORTS["namn"]))


# The columns the register page shows of each organisation (plus `left_at` under "Lämnat").
REGISTER_ROW_COLUMNS = (
    "pk",
    "slug",
    "name",
    "organisation_number",
    "legal_form",
    "whole_county",
    "signed_at",
    "signed_version",
)


def register_page(
    organisations: QuerySet[Organisation],
    *,
    agreement: Agreement,
    query: RegisterQuery,
    number: object,
    per_page: int,
) -> Page:
    """A page of `register_list` as the register page shows it: only the columns it shows, as
    dicts (no model instances, no prefetch: `register_rows` reads the rows' municipalities).
    Unfiltered or only searched, the count is read from the active signatures alone (of the
    organisations the search matched): COUNT(DISTINCT) there is several times cheaper than a
    COUNT over the organisations with EXISTS, whose rows are wide."""
    columns = (*REGISTER_ROW_COLUMNS, "left_at") if query.left else REGISTER_ROW_COLUMNS
    paginator = Paginator(organisations.prefetch_related(None).values(*columns), per_page)
    narrowed = query.left or query.legal_form or query.side or query.municipality or query.year
    matches = query.search_matches()
    if not narrowed and not query.q.strip():
        paginator.count = signatory_count(agreement=agreement)
    elif not narrowed and matches is not None:
        paginator.count = (
            _active_signatures(agreement)
            .filter(organisation__id__any=matches)
            .aggregate(count=Count("organisation_id", distinct=True))["count"]
        )
    return paginator.get_page(number)


class RegisterRow(TypedDict):
    url: str
    name: str
    meta: str
    left: str


def register_rows(organisations: Iterable[dict], *, left: bool) -> list[RegisterRow]:
    """The register page's rows (from `register_page`) with every value it shows, final.

    One query for the rows' municipalities; the translated sentences, the legal forms' labels
    and the profile link are made once per page, not once per row in the template (at 50 rows
    that per-row template work was most of the page's first render).
    """
    organisations = list(organisations)
    places: dict[int, list[str]] = {o["pk"]: [] for o in organisations}
    if places:
        located = (
            Organisation.municipalities.through.objects.filter(organisation_id__in=list(places))
            .order_by("municipality__name", "municipality_id")
            .values_list("organisation_id", "municipality__name")
        )
        for organisation_id, name in located:
            places[organisation_id].append(name)
    legal_forms = {value: str(label) for value, label in LegalForm.choices}
    whole_county = gettext("Hela länet")
    signed = gettext("undertecknade %(date)s (version %(n)s)")
    left_on = gettext("lämnade %(date)s")
    # Slugs are URL-safe ([-a-zA-Z0-9_]), so the link is the reversed prefix and the slug.
    profile = reverse("agreements:profile", args=["slug"]).removesuffix("slug/")

    months = {number: str(name) for number, name in MONTHS.items()}

    def day(value) -> str:
        # date_format(value, "j F Y") in the current time zone, without its per-call lookups.
        if not value:
            return ""
        value = timezone.localtime(value)
        return f"{value.day} {months[value.month]} {value.year:04d}"

    return [
        {
            "url": f"{profile}{o['slug']}/",
            "name": o["name"],
            # Legal form · organisation number · where · when signed (text, escaped when shown).
            "meta": " · ".join(
                (
                    legal_forms.get(o["legal_form"], o["legal_form"]),
                    o["organisation_number"],
                    whole_county if o["whole_county"] else ", ".join(places[o["pk"]]),
                    signed % {"date": day(o["signed_at"]), "n": o["signed_version"]},
                )
            ),
            "left": left_on % {"date": day(o["left_at"])} if left else "",
        }
        for o in organisations
    ]


def register_years(*, agreement: Agreement) -> list[int]:
    return [day.year for day in _active_signatures(agreement).dates("signed_at", "year")]


def register_signatures(*, agreement: Agreement) -> QuerySet[Signature]:
    """The open-data register: one row per active signature, in chain order."""
    return (
        _active_signatures(agreement)
        .select_related("organisation", "agreement_version")
        .prefetch_related("organisation__municipalities")
        .order_by("pk")
    )


def register_latest(*, agreement: Agreement, limit: int = 50) -> list[Signature]:
    return list(
        _active_signatures(agreement)
        .select_related("organisation", "agreement_version")
        .order_by("-signed_at", "-pk")[:limit]
    )


def withdrawal_latest(*, agreement: Agreement, limit: int = 50) -> list[Withdrawal]:
    """The latest withdrawals (utträden) from the agreement, newest first."""
    return list(
        Withdrawal.objects.filter(signature__agreement_version__agreement=agreement)
        .select_related("signature__organisation")
        .order_by("-withdrawn_at", "-pk")[:limit]
    )


def register_profile(*, agreement: Agreement, slug: str) -> Organisation | None:
    """A signatory's public profile; also shown after a withdrawal, with the history."""
    return (
        Organisation.objects.filter(slug=slug, signatures__agreement_version__agreement=agreement)
        .prefetch_related(
            "municipalities",
            "commitments",
            Prefetch(
                "signatures",
                queryset=Signature.objects.filter(agreement_version__agreement=agreement)
                .select_related("agreement_version", "withdrawal")
                .order_by("-signed_at", "-pk"),
                to_attr="signature_history",
            ),
        )
        .distinct()
        .first()
    )


def signatory_count(*, agreement: Agreement) -> int:
    """Organisations with an active signature. COUNT(DISTINCT) over the signatures alone with
    the NOT EXISTS anti-join: about three times faster on PostgreSQL at 5000 organisations
    than counting DISTINCT rows of the LEFT JOIN, or organisations with EXISTS (whose rows
    are wide)."""
    return _active_signatures(agreement).aggregate(count=Count("organisation_id", distinct=True))[
        "count"
    ]
