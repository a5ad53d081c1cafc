from __future__ import annotations

import pytest
from django.utils import timezone

from agreements.models import Withdrawal
from agreements.services import signature_create
from tests.accounts.factories import UserFactory
from tests.agreements.test_register import _bulk_signatories, _version
from tests.organisations.factories import MembershipFactory, OrganisationFactory


def test_openapi_document_describes_the_read_only_endpoints(client, lov):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.json()
    assert document["info"]["version"] == "1"
    assert set(document["paths"]) == {
        "/api/v1/signatories",
        "/api/v1/signatories/{slug}",
        "/api/v1/receipts/{code}",
    }
    assert all(set(methods) == {"get"} for methods in document["paths"].values())


def test_signatory_list_filters_and_pages(client, lov):
    _bulk_signatories(12)
    data = client.get("/api/v1/signatories", {"limit": 5, "offset": 10}).json()
    assert data["count"] == 12
    assert len(data["results"]) == 2
    assert data["results"][0]["municipalities"] == ["Sundsvall"]
    assert client.get("/api/v1/signatories", {"q": "ingenting"}).json()["count"] == 0


@pytest.mark.parametrize("count", [10, 500])
def test_signatory_list_runs_a_fixed_number_of_queries(
    client, lov, count, django_assert_num_queries
):
    _bulk_signatories(count)
    with django_assert_num_queries(4):
        client.get("/api/v1/signatories", {"limit": 100})


def test_signatory_detail_has_history_and_hashes_but_no_personal_data(client, lov):
    membership = MembershipFactory(user__full_name="Hemlig Person")
    signature = signature_create(
        organisation=membership.organisation, version=_version(), signer_name="Hemlig Person"
    )
    Withdrawal.objects.create(signature=signature, withdrawn_at=timezone.now(), reason="Slut")
    response = client.get(f"/api/v1/signatories/{membership.organisation.slug}")
    data = response.json()
    assert data["active"] is False
    assert data["signatures"][0]["record_hash"] == signature.record_hash
    assert data["signatures"][0]["withdrawal_reason"] == "Slut"
    assert "Hemlig Person" not in response.content.decode()
    assert client.get("/api/v1/signatories/finns-inte").status_code == 404


def test_receipt_endpoint_verifies_a_code(client, lov):
    signature = signature_create(
        organisation=OrganisationFactory(), version=_version(), signer_name="P"
    )
    data = client.get(f"/api/v1/receipts/{signature.receipt_code}").json()
    assert data["intact"] is True
    assert data["withdrawn"] is False
    assert client.get("/api/v1/receipts/OKAND").status_code == 404


@pytest.mark.parametrize("who", ["anonymous", "member", "staff"])
def test_api_is_public_and_read_only(client, lov, who):
    if who == "member":
        client.force_login(MembershipFactory().user)
    elif who == "staff":
        client.force_login(UserFactory(staff=True))
    assert client.get("/api/v1/signatories").status_code == 200
    assert client.post("/api/v1/signatories", {}).status_code == 405


@pytest.mark.parametrize(
    "query",
    [
        {"year": "-277"},
        {"year": "99999999999999999999"},
        {"offset": "99999999999999999999999"},
        {"limit": "99999999999999999999999"},
        {"limit": "0"},
        {"q": "a\x00b"},
        {"q": "x" * 201},
        {"municipality": "\x00"},
        {"legal_form": "\x00"},
        {"side": "\x00"},
        {"sort": "\x00"},
    ],
)
def test_odd_query_parameters_are_refused_with_422_not_a_server_error(client, lov, query):
    # Each of these was a 500 (a year out of datetime's range, an OFFSET beyond bigint, a NUL
    # byte PostgreSQL refuses) before the parameters were bounded in the schema.
    _bulk_signatories(2)
    response = client.get("/api/v1/signatories", query)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][0] == "query"


@pytest.mark.parametrize("path", ["/api/v1/signatories/a%00b", "/api/v1/receipts/a%00b"])
def test_a_nul_byte_in_a_path_parameter_is_refused(client, lov, path):
    assert client.get(path).status_code == 422
