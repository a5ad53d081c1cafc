"""The register for logged-in visitors: its content comes from a fragment cached per public
content version, language and query, so browsing it does not re-run the register's queries;
what changes the register shows at once, and nothing of one visitor leaks into another's page."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.accounts.factories import UserFactory
from tests.agreements.factories import signed_organisation
from tests.organisations.factories import MembershipFactory

pytestmark = pytest.mark.django_db

REGISTER = "/undertecknare/"


def _register_queries(client, url: str) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    assert "X-Cache" not in response.headers  # never the shared page cache
    # The register's own queries; the per-user ones of the page around it (the to-do count in
    # the navigation) are not the register's.
    return [
        q["sql"]
        for q in captured.captured_queries
        if "organisations_organisation" in q["sql"] and '"accounts_user"."id" =' not in q["sql"]
    ]


def test_a_member_browsing_the_register_reuses_the_rendered_content(client, lov):
    signed_organisation(lov, name="Föreningen Fragment")
    client.force_login(MembershipFactory().user)
    assert _register_queries(client, REGISTER)  # first: rendered, the register is queried
    assert _register_queries(client, REGISTER) == []  # then: from the fragment
    second = client.get(REGISTER).content.decode()
    assert "Föreningen Fragment" in second
    assert "1 organisation" in second


def test_each_query_and_language_has_its_own_fragment(client, lov):
    signed_organisation(lov, name="Föreningen Alfa")
    signed_organisation(lov, name="Stiftelsen Beta")
    client.force_login(UserFactory())
    assert "Stiftelsen Beta" in client.get(REGISTER).content.decode()
    searched = client.get(REGISTER + "?q=alfa").content.decode()
    assert "Föreningen Alfa" in searched
    assert "Stiftelsen Beta" not in searched
    english = client.get("/en" + REGISTER).content.decode()
    assert "Signatories" in english
    assert "Undertecknare</h1>" not in english


def test_a_new_signature_shows_at_once_to_a_logged_in_member(client, lov):
    signed_organisation(lov, name="Föreningen Först")
    client.force_login(UserFactory())
    client.get(REGISTER)
    signed_organisation(lov, name="Föreningen Sedan")
    html = client.get(REGISTER).content.decode()
    assert "Föreningen Sedan" in html
    assert "2 organisationer" in html


def test_one_visitors_unknown_parameters_never_reach_anothers_page(client, lov):
    signed_organisation(lov, name="Föreningen Delad")
    client.force_login(UserFactory())
    first = client.get(REGISTER + "?q=delad&x=ekot").content.decode()
    assert "ekot" not in first
    client.force_login(UserFactory())
    assert "ekot" not in client.get(REGISTER + "?q=delad").content.decode()


def test_the_header_stays_the_visitors_own(client, lov):
    client.force_login(UserFactory(full_name="Första Person"))
    assert "Första" in client.get(REGISTER).content.decode()
    client.force_login(UserFactory(full_name="Andra Person"))
    html = client.get(REGISTER).content.decode()
    assert "Andra" in html
    assert "Första" not in html
