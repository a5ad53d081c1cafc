"""The staff dashboard's data-heavy parts are `{% cache %}` fragments kept per content version,
day, filter and language: a second visit runs none of the dashboard's queries, a status update
shows at once, and the page itself stays private with a CSRF token of its own."""

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from commitments.models import Commitment, CommitmentStatus
from commitments.services import status_update_create
from tests.accounts.factories import UserFactory
from tests.commitments.test_views import DASHBOARD, add_history

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client, lov):
    cache.clear()
    add_history(lov, 2)
    client.force_login(UserFactory(staff=True))
    return client


def _queries(client, url: str, **params) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    assert response.status_code == 200
    assert "private" in response["Cache-Control"]
    assert "X-Cache" not in response.headers
    return [q["sql"] for q in captured.captured_queries]


def test_a_second_visit_runs_none_of_the_dashboard_queries(staff_client):
    first = _queries(staff_client, DASHBOARD)
    assert any("commitments_statusupdate" in sql for sql in first)
    second = _queries(staff_client, DASHBOARD)
    assert not any("commitments_statusupdate" in sql for sql in second)
    assert not any("commitments_action" in sql for sql in second)
    # the session (on SQLite, without Redis), the user, the agreement, the filter's principles
    assert len(second) <= 4


def test_a_filter_has_fragments_of_its_own(staff_client):
    _queries(staff_client, DASHBOARD)
    filtered = staff_client.get(DASHBOARD, {"status": CommitmentStatus.ACHIEVED})
    assert list(filtered.context["data"].commitments) == []


def test_a_status_update_shows_on_the_dashboard_at_once(staff_client):
    staff_client.get(DASHBOARD)
    commitment = Commitment.objects.order_by("pk").first()
    update = status_update_create(
        commitment=commitment,
        author=UserFactory(staff=True),
        status=CommitmentStatus.STALLED,
        refers_to=datetime.date(2026, 1, 1),
        narrative="Arbetet har stannat av efter omorganisationen.",
    )
    html = staff_client.get(DASHBOARD).content.decode()
    assert f"#uppdatering-{update.pk}" in html


def test_each_language_has_its_own_fragments(staff_client):
    assert 'lang="sv"' in staff_client.get(DASHBOARD).content.decode()
    english = staff_client.get("/en" + DASHBOARD).content.decode()
    assert "Status by principle" in english
    assert "Status per princip<" not in english


def test_the_csrf_token_is_rendered_per_request(staff_client):
    first = staff_client.get(DASHBOARD).content.decode()
    staff_client.cookies.clear()
    staff_client.force_login(UserFactory(staff=True))
    second = staff_client.get(DASHBOARD).content.decode()
    token = 'name="csrfmiddlewaretoken" value="'
    assert first.split(token)[1][:64] != second.split(token)[1][:64]
