"""One FilterSet for the register: the page and the API list the same organisations for the
same filters, the page ignores a value the filters refuse and the API refuses it."""

from __future__ import annotations

import datetime
import re
from urllib.parse import urlencode

import pytest
from django.urls import reverse
from django.utils import timezone

from agreements.filters import PAGE_PARAMS
from agreements.services import signature_create
from lov_portal.core.choices import PartySide
from organisations.models import LegalForm, Municipality
from tests.agreements.test_register import _version
from tests.organisations.factories import OrganisationFactory

REGISTER = reverse("agreements:register")
API = "/api/v1/signatories"
LONG_AGO = timezone.now() - datetime.timedelta(days=800)


@pytest.fixture
def signatories(lov):
    foundation = OrganisationFactory(name="Stiftelsen Fyren", legal_form=LegalForm.FOUNDATION)
    association = OrganisationFactory(name="Föreningen Bron", description="Idrott för alla")
    region = OrganisationFactory(
        name="Region Västernorrland", side=PartySide.PUBLIC, legal_form=LegalForm.PUBLIC_BODY
    )
    foundation.municipalities.add(Municipality.objects.get(name="Kramfors"))
    association.municipalities.add(Municipality.objects.get(name="Timrå"))
    for organisation, when in ((foundation, LONG_AGO), (association, None), (region, None)):
        signature_create(
            organisation=organisation, version=_version(), signer_name="Per", signed_at=when
        )
    return {"foundation": foundation, "association": association, "region": region}


def _page_slugs(client, query: dict[str, str]) -> list[str]:
    response = client.get(f"{REGISTER}?{urlencode(query)}")
    assert response.status_code == 200
    html = response.content.decode()
    if 'class="register__list"' not in html:
        return []
    results = html.split('class="register__list"', 1)[1].split("</ul>", 1)[0]
    return re.findall(r'<h3><a href="/undertecknare/([^/"]+)/">', results)


def _api_slugs(client, query: dict[str, str]) -> list[str]:
    response = client.get(API, {**{PAGE_PARAMS[k]: v for k, v in query.items()}, "limit": 500})
    assert response.status_code == 200, response.content
    return [row["slug"] for row in response.json()["results"]]


QUERIES = [
    {},
    {"juridisk_form": "stiftelse"},
    {"kommun": "2262"},
    {"kommun": "2262", "juridisk_form": "ideell_forening"},
    {"part": "public"},
    {"part": "civil_society", "sortering": "nyast"},
    {"ar": str(LONG_AGO.year)},
    {"sortering": "nyast"},
    {"sortering": "aldst"},
    {"q": "Bron"},
    {"q": "ingenting sådant"},
]


@pytest.mark.parametrize("query", QUERIES, ids=lambda q: urlencode(q) or "none")
def test_the_page_and_the_api_list_the_same_signatories_for_the_same_filters(
    client, signatories, query
):
    page = _page_slugs(client, query)
    assert page == _api_slugs(client, query)
    if "q" not in query or query["q"] == "Bron":
        assert page  # each filter above matches someone, so the comparison says something


def test_every_filter_of_the_page_narrows_the_list(client, signatories):
    everyone = _page_slugs(client, {})
    assert len(everyone) == 3
    for query in QUERIES[1:7]:
        assert len(_page_slugs(client, query)) < len(everyone), query


@pytest.mark.parametrize(
    "query",
    [
        {"juridisk_form": "finns_inte"},
        {"part": "xyz"},
        {"sortering": "drop"},
        {"ar": "1999"},
        {"ar": "abc"},
        {"q": "x" * 201},
        {"q": "Bron\tBcc"},
    ],
    ids=lambda q: next(iter(q)),
)
def test_the_page_ignores_a_value_the_filters_refuse_and_the_api_answers_422(
    client, signatories, query
):
    assert _page_slugs(client, query) == _page_slugs(client, {})
    response = client.get(API, {PAGE_PARAMS[k]: v for k, v in query.items()})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][:2] == ["query", PAGE_PARAMS[next(iter(query))]]


def test_the_api_does_not_offer_the_pages_status_filter(client, signatories):
    assert _api_slugs(client, {}) == _api_slugs(client, {"status": "lamnat"})


def test_the_register_page_is_cached_by_exactly_the_parameters_it_reads():
    from agreements import views

    assert views.register.public_page_params == (
        "ar",
        "juridisk_form",
        "kommun",
        "part",
        "q",
        "sida",
        "sortering",
        "status",
    )
