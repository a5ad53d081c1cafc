"""HEAD answers like GET wherever GET works, on every URL pattern (walked from the resolver)."""

from __future__ import annotations

import pytest

from tests.urlwalk import all_endpoints

pytestmark = pytest.mark.django_db

PUBLIC_PAGES = [
    "/",
    "/overenskommelsen/",
    "/undertecknare/",
    "/ataganden/",
    "/moten/",
    "/moten/arsoversikt/",
    "/moten/gruppen/",
    "/oppna-data/api/",
    "/tillganglighet/",
    "/integritet/",
    "/en/",
    "/undertecknare.csv",
    "/undertecknare.json",
    "/undertecknare.atom",
    "/moten/kalender.ics",
    "/favicon.ico",
]


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_head_on_a_public_page_answers_like_get_without_a_body(client, lov, path):
    got = client.get(path)
    assert got.status_code == 200, path
    head = client.head(path)
    assert head.status_code == 200, path
    assert head["Content-Type"] == got["Content-Type"]
    assert b"".join(head) == b"" if head.streaming else head.content == b""


def test_head_works_wherever_get_does_on_every_url_pattern(client, lov):
    checked = 0
    for endpoint in all_endpoints():
        if endpoint.namespace.split(":")[0] == "admin":
            continue
        got = client.get(endpoint.path)
        if got.status_code != 200:
            continue
        head = client.head(endpoint.path)
        assert head.status_code == 200, endpoint.path
        checked += 1
    assert checked > 20
