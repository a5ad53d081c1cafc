"""The register's search, filters and order, parsed once for the page and the API.

`RegisterFilterSet` is the one place that knows which values each parameter may take. The
page (`/undertecknare/`) reads it under Swedish parameter names (`PAGE_PARAMS`) and ignores a
value it refuses (the page always answers); the API (`/api/v1/signatories`) reads it under the
filters' own names and refuses such a value with 422. The query itself is built by
`selectors.register_list` from the parsed `RegisterQuery`: which plan is cheap depends on the
combination (organisations that left, a date order or a year), not on one filter at a time.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TypedDict
from urllib.parse import urlencode

import django_filters
from django import forms
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from lov_portal.core.choices import PartySide
from lov_portal.core.text import InputPolicyMixin
from organisations.models import LegalForm, Organisation

from . import selectors
from .models import Agreement

Q_MAX_LENGTH = 200
MUNICIPALITY_MAX_LENGTH = 100
YEAR_MIN, YEAR_MAX = 2000, 2200
SORTS = [
    ("namn", _("Namn A–Ö")),
    ("nyast", _("Senast undertecknad")),
    ("aldst", _("Först undertecknad")),
]
LEFT = "lamnat"

# The page's parameter names (its links and the cache key use them) -> the filters' names.
PAGE_PARAMS = {
    "q": "q",
    "juridisk_form": "legal_form",
    "kommun": "municipality",
    "ar": "year",
    "part": "side",
    "sortering": "sort",
    "status": "status",
}


class IntegerFilter(django_filters.Filter):
    field_class = forms.IntegerField


class RegisterFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(max_length=Q_MAX_LENGTH)
    legal_form = django_filters.ChoiceFilter(choices=LegalForm.choices)
    municipality = django_filters.CharFilter(max_length=MUNICIPALITY_MAX_LENGTH)
    year = IntegerFilter(min_value=YEAR_MIN, max_value=YEAR_MAX)
    side = django_filters.ChoiceFilter(choices=PartySide.choices)
    sort = django_filters.ChoiceFilter(choices=SORTS)
    # Organisations that have left (the page's "Lämnat"); the API does not offer it.
    status = django_filters.ChoiceFilter(choices=[(LEFT, _("Lämnat"))])

    def __init__(self, data: Mapping[str, object], *, agreement: Agreement) -> None:
        super().__init__(data, queryset=Organisation.objects.all())
        self.agreement = agreement

    @classmethod
    def for_page(cls, params: Mapping[str, str], *, agreement: Agreement) -> RegisterFilterSet:
        """The filters of the register page, from its query string (Swedish names)."""
        data = {new: params[old] for old, new in PAGE_PARAMS.items() if old in params}
        return cls(data, agreement=agreement)

    def get_form_class(self) -> type[forms.Form]:
        return RegisterFilterForm

    @property
    def query(self) -> selectors.RegisterQuery:
        """The valid values; a value the filters refuse is left out (see `errors`)."""
        if not hasattr(self, "_query"):
            self.form.is_valid()
            data = self.form.cleaned_data
            self._query = selectors.RegisterQuery(
                q=data.get("q") or "",
                legal_form=data.get("legal_form") or "",
                municipality=data.get("municipality") or "",
                year=data.get("year"),
                side=data.get("side") or "",
                sort=data.get("sort") or "namn",
                left=data.get("status") == LEFT,
            )
        return self._query

    def filter_queryset(self, queryset: QuerySet[Organisation]) -> QuerySet[Organisation]:
        return selectors.register_list(agreement=self.agreement, query=self.query)


# The FilterSet's form, as a class of this module: the portal's checks of every form
# (tests/formwalk.py: the input policy, hostile values) see the register's fields too.
RegisterFilterForm = type(
    "RegisterFilterForm",
    (InputPolicyMixin, forms.Form),
    {
        "__doc__": "The register's search and filters: read from the query string, never saved.",
        **{name: f.field for name, f in RegisterFilterSet.base_filters.items()},
    },
)


class FilterLink(TypedDict):
    href: str
    label: str
    current: bool


def page_filter_links(
    params: QueryDict,
    query: selectors.RegisterQuery,
    *,
    municipalities: Iterable[object],
    years: Iterable[int],
) -> dict[str, list]:
    """The register page's filter links in groups under their headings, each group with
    "Alla" first (but the status), and its order links.

    Each link is the page's query string with one parameter set (or removed) and the page
    number removed, as `{% querystring name=value sida=None %}` would write it, made here
    without copying the QueryDict once per link (about thirty links a page).
    """
    base = {name: params.getlist(name) for name in params}

    def href(name: str, value: object) -> str:
        changed = dict(base)
        changed.pop("sida", None)
        if value is None:
            changed.pop(name, None)
        else:
            changed[name] = [value]
        if not changed and not base:
            return ""
        return "?" + "&".join(urlencode({k: v}) for k, values in changed.items() for v in values)

    def group(name: str, current: object, choices: Iterable[tuple[object, str]]):
        everyone = gettext("Alla")
        return [
            FilterLink(href=href(name, None), label=everyone, current=not current),
            *(
                FilterLink(href=href(name, value), label=str(label), current=current == value)
                for value, label in choices
            ),
        ]

    status = [
        FilterLink(
            href=href("status", None), label=gettext("Undertecknat"), current=not query.left
        ),
        FilterLink(href=href("status", LEFT), label=gettext("Lämnat"), current=query.left),
    ]
    return {
        # (heading, links) in the order the page shows them.
        "groups": [
            (gettext("Status"), status),
            (gettext("Part"), group("part", query.side, PartySide.choices)),
            (gettext("Juridisk form"), group("juridisk_form", query.legal_form, LegalForm.choices)),
            (
                gettext("Kommun"),
                group("kommun", query.municipality, ((m.code, m.name) for m in municipalities)),
            ),
            (
                gettext("Undertecknad år"),
                group("ar", query.year, ((year, str(year)) for year in years)),
            ),
        ],
        "sort": [
            FilterLink(href=href("sortering", value), label=str(label), current=query.sort == value)
            for value, label in SORTS
        ],
    }
