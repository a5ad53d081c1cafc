import pytest
from django.contrib.auth import get_user_model

from agreements.selectors import agreement_current_version
from agreements.services import signature_create
from lov_portal.core.cache import public_cache_bump, public_cache_version
from tests.organisations.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def test_public_pages_are_cached_per_language(client, lov):
    assert client.get("/").headers["X-Cache"] == "miss"
    assert client.get("/").headers["X-Cache"] == "hit"
    english = client.get("/en/")
    assert english.headers["X-Cache"] == "miss"
    assert '<html lang="en">' in english.content.decode()
    assert '<html lang="sv">' in client.get("/").content.decode()


def test_a_new_signature_shows_at_once_not_after_expiry(client, lov):
    before = client.get("/").content.decode()
    assert '<dd class="fact__value">0</dd>' in before
    signature_create(
        organisation=OrganisationFactory(),
        version=agreement_current_version(agreement=lov),
        signer_name="Anna",
    )
    after = client.get("/")
    assert after.headers["X-Cache"] == "miss"
    assert '<dd class="fact__value">1</dd>' in after.content.decode()


def test_bumping_changes_the_version():
    first = public_cache_version()
    public_cache_bump()
    assert public_cache_version() != first


def test_repeat_visitors_get_304_with_the_etag(client, lov):
    response = client.get("/overenskommelsen/")
    etag = response.headers["ETag"]
    assert client.get("/overenskommelsen/", HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_logged_in_pages_are_never_cached_or_shared(client, lov):
    user = get_user_model().objects.create_user("person@example.se", "korrekt-hast-batteri")
    client.force_login(user)
    response = client.get("/")
    assert "X-Cache" not in response.headers
    assert "private" in response.headers["Cache-Control"]
    assert "public" not in response.headers["Cache-Control"]


def test_anonymous_public_pages_may_be_kept_briefly(client, lov):
    response = client.get("/")
    assert "public" in response.headers["Cache-Control"]
    assert "max-age=60" in response.headers["Cache-Control"]


# --- Cache keys use only the parameters a page reads (issue 15) ---------------------------------


def test_unknown_query_parameters_hit_the_same_cache_entry(client, lov):
    assert client.get("/?x=1").headers["X-Cache"] == "miss"
    assert client.get("/?x=2").headers["X-Cache"] == "hit"
    assert client.get("/").headers["X-Cache"] == "hit"


def test_unknown_parameters_are_not_echoed_into_a_shared_page(client, lov):
    html = client.get("/undertecknare/?x=ekot&q=stiftelse").content.decode()
    assert "ekot" not in html
    assert "stiftelse" in html


def test_the_parameters_a_page_reads_still_make_their_own_entries(client, lov):
    assert client.get("/undertecknare/?q=a&x=1").headers["X-Cache"] == "miss"
    assert client.get("/undertecknare/?x=2&q=a").headers["X-Cache"] == "hit"
    assert client.get("/undertecknare/?q=b").headers["X-Cache"] == "miss"
    assert client.get("/undertecknare/?sida=2&x=3").headers["X-Cache"] == "miss"
    assert client.get("/undertecknare/?sida=2").headers["X-Cache"] == "hit"
