"""The public side: commitment filters as shareable links, a feed per commitment."""

from __future__ import annotations

import pytest
from django.urls import reverse

from commitments.models import Commitment, CommitmentStatus
from lov_portal.core.choices import ResponsibleSide
from tests.commitments.factories import StatusUpdateFactory

pytestmark = pytest.mark.django_db
LIST = "/ataganden/"


def _texts(html):
    return {c.text for c in Commitment.objects.all() if c.text in html}


def test_the_commitments_list_filters_by_principle_side_and_status_for_anonymous_visitors(
    client, lov
):
    commitments = list(Commitment.objects.select_related("principle").order_by("pk"))
    first = commitments[0]
    Commitment.objects.filter(pk=first.pk).update(status=CommitmentStatus.STALLED)
    all_texts = _texts(client.get(LIST).content.decode())
    assert len(all_texts) == len(commitments)

    by_principle = _texts(client.get(f"{LIST}?princip={first.principle.key}").content.decode())
    assert by_principle == {c.text for c in commitments if c.principle_id == first.principle_id}

    by_side = _texts(client.get(f"{LIST}?part={ResponsibleSide.PUBLIC}").content.decode())
    assert by_side == {c.text for c in commitments if c.responsible_side == "public"}
    assert 0 < len(by_side) < len(commitments)

    by_status = _texts(client.get(f"{LIST}?status=stalled").content.decode())
    assert by_status == {first.text}

    html = client.get(f"{LIST}?status=stalled").content.decode()
    # The filters are links that keep the other filters: shareable GET links.
    assert f'href="?status=stalled&amp;part={ResponsibleSide.PUBLIC}"' in html
    assert "Rensa alla filter" in html


def test_an_unknown_filter_value_is_no_filter(client, lov):
    html = client.get(f"{LIST}?status=%3Cscript%3E&part=nope").content.decode()
    assert len(_texts(html)) == Commitment.objects.count()


def test_every_commitment_has_an_atom_feed_of_its_public_updates(client, lov):
    commitment = Commitment.objects.first()
    StatusUpdateFactory(commitment=commitment, narrative="Offentlig rapport")
    StatusUpdateFactory(commitment=commitment, narrative="Intern anteckning", is_internal=True)
    page = client.get(reverse("commitments:detail", args=[commitment.pk])).content.decode()
    feed_url = reverse("commitments:feed", args=[commitment.pk])
    assert f'href="{feed_url}"' in page
    response = client.get(feed_url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    body = response.content.decode()
    assert "Offentlig rapport" in body
    assert "Intern anteckning" not in body
    assert client.get(reverse("commitments:feed", args=[999999])).status_code == 404


def test_the_register_lists_organisations_that_left_under_lamnat_with_the_date(client, lov):

    from django.utils import timezone

    from agreements.models import AgreementVersion
    from agreements.services import signature_create, withdrawal_create
    from tests.accounts.factories import UserFactory
    from tests.organisations.factories import OrganisationFactory

    version = AgreementVersion.objects.get(is_current=True)
    stays = OrganisationFactory(name="Stannande föreningen")
    leaves = OrganisationFactory(name="Lämnande föreningen")
    for organisation in (stays, leaves):
        signature_create(organisation=organisation, version=version, signer_name="A B")
    withdrawal_create(organisation=leaves, agreement=version.agreement, withdrawn_by=UserFactory())
    html = client.get(reverse("agreements:register")).content.decode()
    assert "Stannande föreningen" in html and "Lämnande föreningen" not in html
    assert "?status=lamnat" in html
    html = client.get(reverse("agreements:register") + "?status=lamnat").content.decode()
    assert "Lämnande föreningen" in html and "Stannande föreningen" not in html
    today = timezone.localdate()
    assert f"lämnade {today.day} " in html


def test_the_open_data_section_links_a_readable_api_page(client, lov):
    html = client.get(reverse("agreements:register")).content.decode()
    assert f'href="{reverse("api_page")}"' in html
    page = client.get(reverse("api_page")).content.decode()
    assert "GET /api/v1/signatories" in page
    assert 'href="/api/v1/openapi.json"' in page
    assert "cdn" not in page.lower()
    assert client.get("/api/v1/openapi.json").status_code == 200


def test_the_register_feed_keeps_organisations_that_left_with_the_date(client, lov):
    from agreements.models import AgreementVersion
    from agreements.services import signature_create, withdrawal_create
    from tests.accounts.factories import UserFactory
    from tests.organisations.factories import OrganisationFactory

    version = AgreementVersion.objects.get(is_current=True)
    leaves = OrganisationFactory(name="Lämnande föreningen")
    signature_create(organisation=leaves, version=version, signer_name="A B")
    withdrawal_create(organisation=leaves, agreement=version.agreement, withdrawn_by=UserFactory())
    feed = client.get("/undertecknare.atom").content.decode()
    assert "Lämnande föreningen har lämnat överenskommelsen" in feed
    assert "urn:lov:withdrawal:" in feed
