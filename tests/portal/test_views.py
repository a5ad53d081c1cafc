import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from agreements.models import Principle
from commitments.models import Commitment
from lov_portal.core.cache import public_cache_bump
from lov_portal.core.choices import ResponsibleSide
from meetings.models import Meeting, MeetingKind

pytestmark = pytest.mark.django_db


def _page(client, url: str) -> str:
    """The page's HTML; it must answer 200."""
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_home_says_what_the_agreement_is_and_counts_signatories(client, lov):
    html = _page(client, "/")
    assert '<html lang="sv">' in html
    assert "Länsöverenskommelsen Västernorrland" in html
    assert "Organisationer som har undertecknat" in html
    assert "Inget planerat möte" in html


def test_home_shows_the_next_meeting(client, lov):
    starts = timezone.now() + datetime.timedelta(days=10)
    Meeting.objects.create(
        group=lov.cooperation_group,
        kind=MeetingKind.FOLLOW_UP_CONFERENCE,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=2),
    )
    html = client.get("/").content.decode()
    assert "Årlig uppföljningskonferens" in html
    assert "Inget planerat möte" not in html


def test_home_without_an_agreement_has_an_empty_state(client, db):
    response = client.get("/")
    assert response.status_code == 200
    assert "Ingen överenskommelse är inläst ännu." in response.content.decode()


def test_agreement_page_lists_six_principles_with_their_commitments(client, lov):
    html = _page(client, "/overenskommelsen/")
    for principle in Principle.objects.all():
        assert f'id="princip-{principle.key}"' in html
    for commitment in Commitment.objects.all():
        assert commitment.text in html
    assert html.count('class="badge badge--public"') == 13
    assert html.count('class="badge badge--civil_society"') == 4
    assert html.count('class="badge badge--joint"') == 6
    assert "Samverkansgruppens uppdrag" in html


def test_agreement_page_in_english_translates_the_interface_but_marks_swedish_text(client, lov):
    html = _page(client, "/en/overenskommelsen/")
    assert '<html lang="en">' in html
    assert "Independence and autonomy" in html
    assert "Long-term perspective" in html
    # The agreement's own text stays Swedish and says so.
    assert '<p class="national-text" lang="sv">' in html
    assert "only in Swedish" in html


def test_language_switch_links_to_the_same_page_in_the_other_language(client, lov):
    sv = client.get("/overenskommelsen/").content.decode()
    assert 'href="/en/overenskommelsen/" lang="en"' in sv
    en = client.get("/en/overenskommelsen/").content.decode()
    assert 'href="/overenskommelsen/" lang="sv"' in en


def test_retired_commitments_leave_the_agreement_page(client, lov):
    commitment = Commitment.objects.get(source_key="v1:5.2")
    commitment.retired_at = timezone.now()
    commitment.save()
    html = client.get("/overenskommelsen/").content.decode()
    assert f'<p class="commitment__text" lang="sv">{commitment.text}</p>' not in html
    assert html.count('<li class="commitment">') == 22


def test_agreement_page_queries_do_not_grow_with_commitments(
    client, lov, django_assert_num_queries
):
    with django_assert_num_queries(5) as few:
        client.get("/overenskommelsen/")
    principle = Principle.objects.get(key="dialogue")
    Commitment.objects.bulk_create(
        Commitment(
            principle=principle,
            order=10 + n,
            text=f"Extra {n}",
            responsible_side=ResponsibleSide.JOINT,
        )
        for n in range(200)
    )
    public_cache_bump()  # bulk_create sends no signals
    with django_assert_num_queries(len(few.captured_queries)):
        client.get("/overenskommelsen/")


def test_home_queries_are_fixed(client, lov, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        client.get("/")


@pytest.mark.parametrize("path", ["/", "/overenskommelsen/", "/tillganglighet/", "/integritet/"])
def test_public_pages_have_landmarks_skip_link_and_footer_links(client, lov, path):
    html = client.get(path).content.decode()
    assert '<a class="skip-link" href="#main">' in html
    assert '<main id="main"' in html
    assert "<header" in html and "<footer" in html and "<nav" in html
    assert reverse("accessibility") in html and reverse("privacy") in html
    assert html.count("<h1") == 1


@pytest.mark.parametrize("path", ["/", "/overenskommelsen/", "/tillganglighet/", "/integritet/"])
def test_pages_send_a_strict_content_security_policy(client, lov, path):
    response = client.get(path)
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "<script>" not in response.content.decode()
    assert 'style="' not in response.content.decode()


def test_unknown_page_is_a_swedish_404(client, db, settings):
    settings.DEBUG = False
    response = client.get("/finns-inte/")
    assert response.status_code == 404
    assert "Sidan finns inte" in response.content.decode()


def test_pages_refuse_post(client, lov):
    assert client.post("/overenskommelsen/").status_code == 405


def test_home_queries_for_a_logged_in_owner_are_pinned(client, lov, django_assert_num_queries):
    from commitments.models import Commitment
    from tests.accounts.factories import UserFactory
    from tests.sessions import session_queries

    owner = UserFactory()
    Commitment.objects.first().owners.add(owner)
    client.force_login(owner)
    # The home page's own reads, user, one EXISTS for the "Mina åtaganden" link and one for
    # the "Uppföljningsrapporter" link (cooperation-group members), and the one count behind
    # "Att göra" (the first visit: the work menu's facts are not cached yet); and the session
    # when sessions are not read from the cache.
    with django_assert_num_queries(8 + session_queries()) as captured:
        html = client.get("/").content.decode()
    assert "Mina åtaganden" in html
    owner_queries = [
        q
        for q in captured.captured_queries
        if "commitments_commitment_owners" in q["sql"] and "COUNT(" not in q["sql"]
    ]
    assert len(owner_queries) == 1


def test_home_for_an_anonymous_visitor_never_asks_about_commitment_owners(
    client, lov, django_assert_max_num_queries
):
    with django_assert_max_num_queries(6) as captured:
        html = client.get("/").content.decode()
    assert "Mina åtaganden" not in html
    assert not any("commitments_commitment_owners" in q["sql"] for q in captured.captured_queries)
