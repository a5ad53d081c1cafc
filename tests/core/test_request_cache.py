"""A request reads the content versions once, together with the person's cached entries (the
work menu's facts, the MFA check), and the staff dashboard its fragments in one more round trip;
the agreement and the MFA check are kept, and each change shows at once
(lov_portal.core.cache.request_cache, RequestCacheMiddleware)."""

import pytest
import redis.client
from allauth.mfa.models import Authenticator
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agreements.selectors import agreement_get
from lov_portal.core.cache import request_cache
from tests.accounts.factories import UserFactory
from tests.commitments.test_views import DASHBOARD, add_history

pytestmark = pytest.mark.django_db

MINE = reverse("commitments:mine")
TODO = reverse("todo")


@pytest.fixture
def redis_commands(monkeypatch):
    """The Redis commands sent, by name (one round trip each)."""
    sent = []
    execute_command = redis.client.Redis.execute_command

    def counted(self, *args, **kwargs):
        sent.append(args[0])
        return execute_command(self, *args, **kwargs)

    monkeypatch.setattr(redis.client.Redis, "execute_command", counted)
    return sent


def staff_with_mfa():
    return UserFactory(staff=True)  # with an authenticator app


def _warm(client, url: str) -> None:
    for _ in range(2):
        assert client.get(url).status_code == 200


@pytest.mark.redis
@pytest.mark.parametrize("url", [MINE, TODO, reverse("agreements:register")])
def test_a_logged_in_page_reads_the_versions_and_the_work_menu_in_one_round_trip(
    client, lov, redis_commands, url
):
    client.force_login(UserFactory())
    _warm(client, url)
    redis_commands.clear()
    assert client.get(url).status_code == 200
    # the session, the versions with the work menu's facts, the page's fragment
    assert redis_commands == ["GET", "MGET", "GET"]


@pytest.mark.redis
def test_the_staff_dashboard_reads_its_fragments_in_one_round_trip(client, lov, redis_commands):
    add_history(lov, 1)
    client.force_login(staff_with_mfa())
    _warm(client, DASHBOARD)
    redis_commands.clear()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(DASHBOARD).status_code == 200
    # the session; the versions, the work menu and the MFA check; the four fragments
    assert redis_commands == ["GET", "MGET", "MGET"]
    # the user (the MFA check and the agreement are kept)
    assert len(queries) == 1


def test_a_staff_member_whose_authenticator_is_removed_is_sent_to_set_one_up_at_once(client, lov):
    staff = staff_with_mfa()
    client.force_login(staff)
    _warm(client, DASHBOARD)
    Authenticator.objects.filter(user=staff).delete()
    response = client.get(DASHBOARD)
    assert response.status_code == 302
    assert response.url.startswith(reverse("mfa_activate_totp"))


def test_another_staff_members_mfa_is_never_taken_for_this_ones(client, lov):
    client.force_login(staff_with_mfa())
    _warm(client, DASHBOARD)
    client.force_login(UserFactory(is_staff=True))  # no authenticator
    response = client.get(DASHBOARD)
    assert response.status_code == 302
    assert response.url.startswith(reverse("mfa_activate_totp"))


def test_a_renamed_agreement_is_read_at_once_and_each_caller_gets_its_own_copy(lov):
    cache.clear()
    with request_cache():
        first = agreement_get()
        with CaptureQueriesContext(connection) as queries:
            second = agreement_get()
        assert len(queries) == 0  # kept for the content version
        second.name = "Changed in memory only"
        assert agreement_get().name == lov.name
        lov.name = "Länsöverenskommelsen, ny lydelse"
        lov.save()
        assert agreement_get().name == "Länsöverenskommelsen, ny lydelse"
    assert first.name != "Länsöverenskommelsen, ny lydelse"


def test_outside_a_request_the_agreement_is_read_afresh(lov):
    with CaptureQueriesContext(connection) as queries:
        agreement_get()
        agreement_get()
    assert len(queries) == 2
