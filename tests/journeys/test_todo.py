""" "Att göra": the start page after login, per person, with a count in the navigation."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from agreements.services import signature_create, withdrawal_create
from commitments.models import Commitment
from meetings import services as meeting_services
from tests.commitments.factories import CommitmentFactory
from tests.organisations.factories import (
    MembershipFactory,
    OrganisationApplicationFactory,
    OrganisationFactory,
)

from .conftest import draft_with_items

pytestmark = pytest.mark.django_db
TODO = "/att-gora/"


def _stale_commitment(owner, text="Ett tyst åtagande"):
    commitment = CommitmentFactory(text=text, owners=[owner])
    Commitment.objects.filter(pk=commitment.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=200)
    )
    return commitment


def _everything_for(world):
    """The checker has minutes to approve, a version to sign and a silent commitment."""
    minutes = draft_with_items(world)
    meeting_services.minutes_send_for_approval(minutes=minutes, by=world.secretary)
    organisation = OrganisationFactory(name="Checkarnas förening")
    MembershipFactory(user=world.checker, organisation=organisation, role="admin")
    _stale_commitment(world.checker)
    OrganisationApplicationFactory(organisation__name="Väntande förening")
    return minutes, organisation


def _todo_html(client, user) -> str:
    """The to-do page as `user` sees it."""
    client.force_login(user)
    return client.get(TODO).content.decode()


def test_login_lands_on_the_todo_page(client, world):
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(
        user=world.checker, email=world.checker.email, verified=True, primary=True
    )
    response = client.post(
        reverse("account_login"),
        {"login": world.checker.email, "password": "korrekt-hast-batteri"},
    )
    assert response["Location"] == TODO


def test_anonymous_visitor_is_asked_to_log_in(client, db):
    response = client.get(TODO)
    assert response["Location"] == f"{reverse('account_login')}?next={TODO}"


def test_the_todo_page_lists_what_waits_for_me_and_the_navigation_counts_it(client, world):
    minutes, organisation = _everything_for(world)
    html = _todo_html(client, world.checker)
    assert reverse("meetings:minutes_detail", args=[minutes.meeting_id]) in html
    assert reverse("agreements:sign", args=[organisation.slug]) in html
    assert "Ett tyst åtagande" in html
    assert "Checkarnas förening" in html
    # Not staff: no applications.
    assert "Väntande förening" not in html
    assert '<span class="count-badge">3<' in html


def test_someone_else_sees_nothing_of_mine(client, world):
    _everything_for(world)
    html = _todo_html(client, world.member)
    assert "Protokoll att justera" not in html
    assert "Checkarnas förening" not in html
    assert "Ett tyst åtagande" not in html
    assert "Väntande förening" not in html
    assert "count-badge" not in html
    assert "Inget väntar på dig just nu." in html


def test_staff_see_applications_waiting(client, world):
    _everything_for(world)
    html = _todo_html(client, world.staff)
    assert "Väntande förening" in html
    assert '<span class="count-badge">1<' in html


def test_signed_left_and_answered_items_are_not_listed(client, world):
    minutes, organisation = _everything_for(world)
    meeting_services.minutes_approve(minutes=minutes, by=world.checker)
    signature_create(
        organisation=organisation,
        version=world.group.agreement.versions.get(is_current=True),
        signer_name="Jonas Justerare",
    )
    left = OrganisationFactory(name="Lämnade föreningen")
    MembershipFactory(user=world.checker, organisation=left, role="admin")
    signature_create(
        organisation=left,
        version=world.group.agreement.versions.get(is_current=True),
        signer_name="Jonas Justerare",
    )
    withdrawal_create(
        organisation=left, agreement=world.group.agreement, withdrawn_by=world.checker
    )
    html = _todo_html(client, world.checker)
    assert "Protokoll att justera" not in html
    assert "Överenskommelsen att underteckna" not in html
    assert '<span class="count-badge">1<' in html


@pytest.mark.parametrize("extra", [0, 5])
def test_the_todo_page_runs_a_fixed_number_of_queries(
    client, world, extra, django_assert_max_num_queries
):
    _everything_for(world)
    for n in range(extra):
        _stale_commitment(world.checker, text=f"Tyst {n}")
        MembershipFactory(user=world.checker, organisation=OrganisationFactory(), role="admin")
        OrganisationApplicationFactory()
    world.checker.is_staff = True
    world.checker.save()
    from tests.agreements.factories import enable_mfa

    enable_mfa(world.checker)
    client.force_login(world.checker)
    client.get(TODO)
    with django_assert_max_num_queries(10):
        response = client.get(TODO)
    assert response.status_code == 200
