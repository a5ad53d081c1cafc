"""The work menu's facts (the "Att göra" count, "Mina åtaganden", the reports link) are cached
per person and change the moment a row they are computed from changes (lov_portal.portal.nav)."""

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agreements.selectors import agreement_current_version
from agreements.services import signature_create
from lov_portal.portal.nav import nav_facts
from organisations.models import MembershipRole, OrganisationStatus
from tests.accounts.factories import UserFactory
from tests.commitments.factories import CommitmentFactory
from tests.organisations.factories import (
    MembershipFactory,
    OrganisationApplicationFactory,
    OrganisationFactory,
)

pytestmark = pytest.mark.django_db

PAGE = reverse("organisations:mine")


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def badge(client) -> int:
    html = client.get(PAGE).content.decode()
    found = re.search(r'class="count-badge">(\d+)<', html)
    return int(found.group(1)) if found else 0


def test_the_facts_are_read_from_the_cache_on_the_second_page(client, lov):
    user = UserFactory()
    client.force_login(user)
    client.get(PAGE)
    with CaptureQueriesContext(connection) as second:
        client.get(PAGE)
    sql = " ".join(query["sql"] for query in second.captured_queries)
    assert "meetings_minutes" not in sql  # the "Att göra" count
    assert "commitments_commitment_owners" not in sql  # "Mina åtaganden"
    assert "meetings_groupmember" not in sql  # the reports link


def test_a_new_membership_counts_at_once(client, lov):
    user = UserFactory()
    organisation = OrganisationFactory()
    client.force_login(user)
    assert badge(client) == 0
    membership = MembershipFactory(user=user, organisation=organisation)
    assert badge(client) == 0  # a plain member does not sign
    membership.role = MembershipRole.ADMIN
    membership.save()
    assert badge(client) == 1
    membership.delete()
    assert badge(client) == 0


def test_signing_takes_the_organisation_off_the_count_at_once(client, lov):
    user = UserFactory()
    membership = MembershipFactory(user=user, role=MembershipRole.ADMIN)
    client.force_login(user)
    assert badge(client) == 1
    signature_create(
        organisation=membership.organisation,
        version=agreement_current_version(agreement=lov),
        signer_name="Anna Andersson",
    )
    assert badge(client) == 0


def test_a_new_application_counts_for_staff_at_once(lov):
    staff = UserFactory(is_staff=True)
    organisation = OrganisationFactory(status=OrganisationStatus.APPLIED)
    before = nav_facts(user=staff)["todo_count"]
    OrganisationApplicationFactory(organisation=organisation)
    assert nav_facts(user=staff)["todo_count"] == before + 1


def test_owning_a_commitment_shows_my_commitments_at_once(client, lov):
    user = UserFactory()
    client.force_login(user)
    mine = reverse("commitments:mine")
    assert f'href="{mine}"' not in client.get(PAGE).content.decode()
    commitment = CommitmentFactory()
    commitment.owners.add(user)
    assert f'href="{mine}"' in client.get(PAGE).content.decode()
    commitment.owners.remove(user)
    assert f'href="{mine}"' not in client.get(PAGE).content.decode()


def test_becoming_staff_changes_the_facts_at_once(lov):
    user = UserFactory()
    assert nav_facts(user=user)["may_read_reports"] is False
    user.is_staff = True
    user.save()
    assert nav_facts(user=user)["may_read_reports"] is True


def test_anonymous_visitors_have_no_facts_and_cost_nothing(django_assert_num_queries):
    from django.contrib.auth.models import AnonymousUser

    with django_assert_num_queries(0):
        assert nav_facts(user=AnonymousUser())["todo_count"] == 0


def test_the_todo_lists_are_a_fragment_cached_per_person(client, lov):
    user = UserFactory()
    organisation = OrganisationFactory(name="Föreningen Väntar")
    client.force_login(user)
    todo = reverse("todo")
    client.get(todo)
    with CaptureQueriesContext(connection) as second:
        assert client.get(todo).status_code == 200
    sql = " ".join(query["sql"] for query in second.captured_queries)
    assert "organisations_membership" not in sql
    assert "meetings_minutes" not in sql
    # A new membership to sign for shows at once, and only on this person's page.
    MembershipFactory(user=user, organisation=organisation, role=MembershipRole.ADMIN)
    assert "Föreningen Väntar" in client.get(todo).content.decode()
    other = UserFactory()
    client.force_login(other)
    assert "Föreningen Väntar" not in client.get(todo).content.decode()


def test_my_commitments_is_a_fragment_cached_per_person(client, lov):
    owner = UserFactory()
    commitment = CommitmentFactory()
    commitment.owners.add(owner)
    client.force_login(owner)
    mine = reverse("commitments:mine")
    client.get(mine)
    with CaptureQueriesContext(connection) as second:
        assert client.get(mine).status_code == 200
    assert not any("commitments_commitment" in q["sql"] for q in second.captured_queries)
    # A new commitment to report on shows at once; another person never sees this list.
    other = CommitmentFactory(text="Parterna åtar sig att mäta det nya.")
    other.owners.add(owner)
    assert "Parterna åtar sig att mäta det nya." in client.get(mine).content.decode()
    client.force_login(UserFactory())
    assert "Parterna åtar sig att mäta det nya." not in client.get(mine).content.decode()
