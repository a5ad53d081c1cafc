"""The account page: every change a person needs, and no account deletion that orphans an
organisation."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse

from lov_portal.accounts.models import User
from organisations.models import MembershipRole
from tests.accounts.factories import UserFactory
from tests.organisations.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db
DELETE = "/mina-uppgifter/radera-konto/"


def test_the_account_page_links_every_change(client):
    client.force_login(UserFactory())
    html = client.get("/mina-uppgifter/").content.decode()
    for name in (
        "privacy:details",
        "account_email",
        "account_change_password",
        "mfa_index",
        "usersessions_list",
        "reminders:preferences",
        "privacy:account_delete",
    ):
        assert f'href="{reverse(name)}"' in html, name


def test_a_person_changes_their_name_and_the_language_of_their_emails(client):
    user = UserFactory(full_name="Gammalt Namn")
    client.force_login(user)
    response = client.post(
        reverse("privacy:details"), {"full_name": "Nytt Namn", "preferred_language": "en"}
    )
    assert response["Location"] == reverse("privacy:overview")
    user.refresh_from_db()
    assert (user.full_name, user.preferred_language) == ("Nytt Namn", "en")
    assert "English" in client.get(reverse("privacy:overview")).content.decode()


def test_an_unknown_language_is_refused(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(
        reverse("privacy:details"), {"full_name": "X", "preferred_language": "de"}
    )
    assert response.status_code == 200
    user.refresh_from_db()
    assert user.preferred_language == "sv"


def test_the_details_page_needs_a_login(client, db):
    assert client.get(reverse("privacy:details"))["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize(("prefix", "language"), [("", "sv"), ("/en", "en")])
def test_the_language_of_emails_defaults_to_the_language_of_sign_up(client, prefix, language):
    client.post(
        f"{prefix}/konto/signup/",
        {
            "email": "ny@example.se",
            "password1": "korrekt-hast-batteri",
            "password2": "korrekt-hast-batteri",
        },
    )
    assert User.objects.get(email="ny@example.se").preferred_language == language
    if language == "en":
        assert re.search(r"[Cc]onfirm", mail.outbox[-1].subject)


def test_the_last_admin_of_an_organisation_cannot_delete_their_account(client):
    membership = MembershipFactory(
        role=MembershipRole.ADMIN, organisation=OrganisationFactory(name="Ensamma föreningen")
    )
    MembershipFactory(organisation=membership.organisation, role=MembershipRole.SIGNATORY)
    user = membership.user
    client.force_login(user)
    response = client.get(DELETE)
    assert response.status_code == 409
    html = response.content.decode()
    assert "Du kan inte radera ditt konto ännu." in html
    assert "Ensamma föreningen" in html
    assert reverse("organisations:members", args=[membership.organisation.slug]) in html
    assert 'name="password"' not in html
    response = client.post(DELETE, {"password": "korrekt-hast-batteri", "confirm": "on"})
    assert response.status_code == 409
    user.refresh_from_db()
    assert user.is_active and user.memberships.count() == 1


def test_the_service_refuses_too(db):
    from lov_portal.privacy.services import LastAdminError, account_anonymise

    user = MembershipFactory(role=MembershipRole.ADMIN).user
    with pytest.raises(LastAdminError):
        account_anonymise(user=user)


def test_with_a_second_admin_the_account_can_be_deleted(client):
    membership = MembershipFactory(role=MembershipRole.ADMIN)
    MembershipFactory(organisation=membership.organisation, role=MembershipRole.ADMIN)
    client.force_login(membership.user)
    assert client.get(DELETE).status_code == 200
    response = client.post(DELETE, {"password": "korrekt-hast-batteri", "confirm": "on"})
    assert response.status_code == 302
    membership.user.refresh_from_db()
    assert not membership.user.is_active
