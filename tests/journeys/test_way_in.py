"""The way in: a call to action to apply on every page a would-be signatory reads."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

APPLY = "/organisationer/ansok/"


@pytest.mark.parametrize("url_name", ["home", "agreement", "agreements:register"])
def test_pages_a_visitor_reads_link_to_the_application(client, lov, url_name):
    html = client.get(reverse(url_name)).content.decode()
    assert reverse("organisations:apply") == APPLY
    assert f'href="{APPLY}"' in html
    assert "Ansök om att underteckna" in html


def test_the_empty_register_invites_the_first_organisation_to_apply(client, lov):
    html = client.get(reverse("agreements:register")).content.decode()
    empty = html.split('class="empty-state"', 1)[1]
    assert f'href="{APPLY}"' in empty.split("</section>", 1)[0]


def test_the_english_pages_link_the_english_application(client, lov):
    html = client.get("/en/").content.decode()
    assert 'href="/en/organisationer/ansok/"' in html
    assert "Apply to sign" in html
