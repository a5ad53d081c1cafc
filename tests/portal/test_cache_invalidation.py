"""Cached public pages change the moment what they show changes, through the services."""

import datetime
import re

import pytest
from django.urls import reverse

from agreements.services import withdrawal_create
from commitments.models import Commitment, CommitmentStatus
from commitments.services import status_update_create
from tests.accounts.factories import UserFactory
from tests.agreements.factories import signed_organisation
from tests.caching import cached_page

pytestmark = pytest.mark.django_db

REGISTER = reverse("agreements:register")


def test_the_register_search_filter_and_profile_pages_are_cached(client, lov):
    organisation = signed_organisation(lov, name="Föreningen Cachad")
    for url in (
        REGISTER,
        REGISTER + "?q=cachad",
        REGISTER + "?kommun=2281",
        reverse("agreements:profile", args=[organisation.slug]),
    ):
        cached_page(client, url)


def test_each_query_string_is_its_own_cache_entry(client, lov):
    signed_organisation(lov, name="Föreningen Alfa")
    signed_organisation(lov, name="Föreningen Beta")
    assert "Föreningen Beta" in cached_page(client, REGISTER)
    searched = client.get(REGISTER + "?q=alfa")
    assert searched.headers["X-Cache"] == "miss"
    assert "Föreningen Beta" not in searched.content.decode()


def test_a_new_signature_appears_in_the_register_at_once(client, lov):
    signed_organisation(lov, name="Föreningen Först")
    assert "Föreningen Ny" not in cached_page(client, REGISTER)
    signed_organisation(lov, name="Föreningen Ny")
    response = client.get(REGISTER)
    assert response.headers["X-Cache"] == "miss"
    assert "Föreningen Ny" in response.content.decode()


def test_a_withdrawal_removes_the_organisation_from_the_register_at_once(client, lov):
    signed_organisation(lov, name="Föreningen Kvar")
    leaving = signed_organisation(lov, name="Föreningen Lämnar")
    profile = reverse("agreements:profile", args=[leaving.slug])
    assert "Föreningen Lämnar" in cached_page(client, REGISTER)
    before = cached_page(client, profile)
    withdrawal_create(organisation=leaving, agreement=lov, withdrawn_by=UserFactory())
    assert "Föreningen Lämnar" not in client.get(REGISTER).content.decode()
    assert client.get(profile).content.decode() != before


def test_a_status_update_shows_on_the_public_commitments_at_once(client, lov):
    commitment = Commitment.objects.get(source_key="v1:2.1")
    detail = reverse("commitments:detail", args=[commitment.pk])
    badge = "status-badge--achieved"
    assert badge not in cached_page(client, reverse("commitments:list"))
    cached_page(client, detail)
    status_update_create(
        commitment=commitment,
        author=UserFactory(staff=True),
        status=CommitmentStatus.ACHIEVED,
        refers_to=datetime.date(2026, 3, 1),
        narrative="Klart och rapporterat.",
    )
    listing = client.get(reverse("commitments:list"))
    assert listing.headers["X-Cache"] == "miss"
    assert badge in listing.content.decode()
    assert "Klart och rapporterat." in client.get(detail).content.decode()


def test_pages_with_forms_for_a_logged_in_user_are_never_cached(client, lov):
    staff = UserFactory(staff=True)
    commitment = Commitment.objects.get(source_key="v1:2.1")
    client.force_login(staff)
    response = client.get(reverse("commitments:detail", args=[commitment.pk]))
    assert "csrfmiddlewaretoken" in response.content.decode()
    assert "X-Cache" not in response.headers
    assert "private" in response.headers["Cache-Control"]
    client.logout()
    anonymous = client.get(reverse("commitments:detail", args=[commitment.pk]))
    assert "csrfmiddlewaretoken" not in anonymous.content.decode()
    assert anonymous.headers["X-Cache"] == "miss"


def test_a_visitor_with_a_pending_message_sees_it_and_it_is_not_cached(client, lov):
    from django.contrib.messages import constants
    from django.contrib.messages.storage.cookie import CookieStorage
    from django.http import HttpRequest, HttpResponse

    storage = CookieStorage(HttpRequest())
    storage.add(constants.INFO, "Du är utloggad nu.")
    carrier = HttpResponse()
    storage.update(carrier)
    client.cookies["messages"] = carrier.cookies["messages"].value
    response = client.get(REGISTER)
    assert "Du är utloggad nu." in response.content.decode()
    assert "X-Cache" not in response.headers
    del client.cookies["messages"]
    assert "Du är utloggad nu." not in client.get(REGISTER).content.decode()


def test_the_staff_dashboard_reuses_its_rendered_parts_until_the_data_changes(
    client, lov, django_assert_max_num_queries
):
    staff = UserFactory(staff=True)
    client.force_login(staff)
    dashboard = reverse("commitments:dashboard")
    first = client.get(dashboard)
    assert "private" in first.headers["Cache-Control"]
    # session, user, two MFA checks (staff pages need an authenticator), agreement, version
    with django_assert_max_num_queries(6):
        again = client.get(dashboard)
    csrf = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')
    assert csrf.sub("", again.content.decode()) == csrf.sub("", first.content.decode())
    assert again.content.decode().count("status-badge--achieved") == 0
    status_update_create(
        commitment=Commitment.objects.get(source_key="v1:2.1"),
        author=staff,
        status=CommitmentStatus.ACHIEVED,
        refers_to=datetime.date(2026, 3, 1),
        narrative="Klart.",
    )
    assert "status-badge--achieved" in client.get(dashboard).content.decode()
