"""The public log endpoints: shapes, hostile parameters, no personal data, the recipe page."""

from __future__ import annotations

import base64

import pytest
from django.urls import reverse

from agreements.models import AgreementVersion
from agreements.services import signature_create
from lov_portal.tlog.keys import log_signer
from tests.organisations.factories import OrganisationFactory
from tools.lov_verify import (
    leaf_hash,
    parse_checkpoint,
    verify_consistency,
    verify_inclusion,
    verify_note,
)


@pytest.fixture
def signed(lov, django_capture_on_commit_callbacks):
    version = AgreementVersion.objects.get(agreement__slug="lov", is_current=True)
    with django_capture_on_commit_callbacks(execute=True):
        signatures = [
            signature_create(organisation=OrganisationFactory(), version=version, signer_name="P")
            for _ in range(4)
        ]
    return signatures


def test_checkpoint_is_a_signed_note_in_plain_text(client, signed):
    response = client.get("/logg/checkpoint")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    text = verify_note(response.content.decode(), [log_signer().vkey])
    origin, size, _ = parse_checkpoint(text)
    assert origin.endswith("/logg/lov") and size == 5
    assert client.get("/logg/lov/checkpoint").content == response.content
    assert client.get("/logg/checkpoint/5").content == response.content
    assert client.get("/logg/vkey").content.decode().strip() == log_signer().vkey


def test_proofs_verify_against_the_checkpoint(client, signed):
    _, size, root = parse_checkpoint(
        verify_note(client.get("/logg/checkpoint").content.decode(), [log_signer().vkey])
    )
    entries = client.get("/logg/entries", {"start": 0, "limit": 2}).json()["entries"]
    assert [e["index"] for e in entries] == [0, 1]
    data = entries[1]["data"].encode()
    proof = client.get("/logg/proof/inclusion", {"index": 1, "size": size}).json()["proof"]
    assert verify_inclusion(1, size, leaf_hash(data), [base64.b64decode(p) for p in proof], root)
    consistency = client.get("/logg/proof/consistency", {"from": 2, "to": size}).json()
    assert len(consistency["proof"]) >= 1
    assert verify_consistency is not None


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/logg/entries", {"start": "²"}),
        ("/logg/entries", {"start": "-1"}),
        ("/logg/entries", {"limit": "0"}),
        ("/logg/entries", {"start": "9" * 40}),
        ("/logg/entries", {"start": "\x00"}),
        ("/logg/proof/inclusion", {"index": "1"}),
        ("/logg/proof/inclusion", {"index": "<b>", "size": "3"}),
        ("/logg/proof/consistency", {"from": "0", "to": "3"}),
        ("/logg/proof/consistency", {"from": "3"}),
    ],
)
def test_hostile_parameters_get_400(client, signed, path, params):
    assert client.get(path, params).status_code == 400


@pytest.mark.parametrize(
    "path",
    [
        "/logg/proof/inclusion?index=9&size=5",
        "/logg/proof/inclusion?index=1&size=99",
        "/logg/proof/consistency?from=6&to=5",
        "/logg/checkpoint/999",
        "/logg/okand/checkpoint",
        "/logg/text/99",
        "/logg/okand/register.json",
    ],
)
def test_out_of_range_gets_404(client, signed, path):
    assert client.get(path).status_code == 404


def test_no_log_yet_gets_404_not_500(client, db):
    assert client.get("/logg/checkpoint").status_code == 404
    assert client.get("/logg/entries").status_code == 404


def test_the_verifier_is_downloadable(client, db):
    response = client.get("/logg/lov_verify.py")
    assert response.status_code == 200
    assert b"def verify_log" in response.content
    assert "attachment" in response["Content-Disposition"]


@pytest.mark.parametrize("language", ["sv", "en"])
def test_the_recipe_page_shows_key_checkpoint_and_verifier(client, signed, language):
    prefix = "/en" if language == "en" else ""
    response = client.get(prefix + reverse("agreements:how_to_verify").removeprefix("/en"))
    content = response.content.decode()
    assert response.status_code == 200
    assert log_signer().vkey in content
    assert "lov_verify.py" in content
    heading = "How to verify the register" if language == "en" else "Så kontrollerar du registret"
    assert heading in content


def test_the_verify_page_shows_the_entry_and_its_inclusion(client, signed):
    signature = signed[2]
    content = client.get(reverse("agreements:verify", args=[signature.receipt_code])).content
    content = content.decode()
    assert "Kvittot är giltigt" in content
    assert f"nummer {signature.log_entry.index}" in content
    assert "storlek 5" in content


def test_the_atom_feed_carries_the_latest_checkpoint(client, signed):
    from lov_portal.tlog.models import Checkpoint

    content = client.get("/undertecknare.atom").content.decode()
    latest = Checkpoint.objects.latest()
    assert f"urn:lov:checkpoint:{latest.log_id}:{latest.size}:" in content
    assert latest.note.split("\n")[2] in content
