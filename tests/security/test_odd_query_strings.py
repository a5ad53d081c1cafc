"""Odd query strings never become a 500, on any page, for the public and for staff.

Every URL pattern (tests/urlwalk.py, so views added later are covered) is requested with
every query parameter the portal's pages read set to values a form would never send: a NUL
byte (PostgreSQL refuses it in text), numbers beyond any integer column, negative and
non-numeric page numbers, "²", and very long text. Run against PostgreSQL in CI. Path
segments and POST bodies: tests/security/test_hostile_input.py.
"""

from __future__ import annotations

from urllib.parse import urlencode

import pytest

from lov_portal.portal.demo import demo_create
from tests.conftest import _built_once_per_module
from tests.permissions import make_staff_with_mfa
from tests.urlwalk import all_endpoints, is_project_endpoint

pytestmark = pytest.mark.django_db

ENDPOINTS = [e for e in all_endpoints(languages=["sv"]) if is_project_endpoint(e)]
PARAMETERS = (
    "q",
    "legal_form",
    "municipality",
    "year",
    "side",
    "sort",
    "page",
    "status",
    "principle",
    "responsible",
    "owner",
    "code",
    "revision",
    "kind",
    "actor",
    "action",
    "date_from",
    "date_to",
    "since",
    "next",
)
ODD_VALUES = {
    "nul": "a\x00b",
    "huge": "9" * 40,
    "negative": "-1",
    "superscript": "²",  # str.isdigit() says yes, int() says no
    "text": "x" * 3000,
    "markup": "<script>'\"%",
}


@pytest.fixture(scope="module")
def _module_data(django_db_setup, django_db_blocker, tmp_path_factory):
    """LÖV and the demo data, built once for the module in a transaction rolled back at its
    end (`module_lov`'s way): every test only reads it (GET requests)."""

    def build() -> None:
        from agreements.models import Agreement
        from lov_portal.portal.lov_source import load_source
        from lov_portal.portal.services import lov_load

        lov_load(parsed=load_source())
        demo_create(agreement=Agreement.objects.get(slug="lov"), organisations=4)

    yield from _built_once_per_module(django_db_blocker, tmp_path_factory, build)


@pytest.fixture
def data(_module_data, db: None) -> None:
    """The module's demo data; what a test writes is rolled back before the next."""


@pytest.mark.parametrize("value", ODD_VALUES.values(), ids=ODD_VALUES.keys())
@pytest.mark.parametrize("who", ["anonymous", "staff"])
def test_no_page_answers_odd_query_strings_with_a_server_error(client, data, who, value):
    if who == "staff":
        client.force_login(make_staff_with_mfa())
    query = urlencode(dict.fromkeys(PARAMETERS, value))
    errors = []
    for endpoint in ENDPOINTS:
        response = client.get(f"{endpoint.path}?{query}")
        if response.status_code >= 500:
            errors.append(f"{endpoint.path} ({endpoint.name}): {response.status_code}")
    assert not errors, "\n".join(errors)
