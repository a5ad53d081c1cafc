"""MFA for staff, the admin behind allauth's login, session timeouts, active sessions."""

import time

import pytest
from allauth.account.models import EmailAddress
from django.contrib.sessions.models import Session
from django.urls import reverse

from lov_portal.accounts.middleware import LOGIN_TIME_KEY
from tests.accounts.factories import UserFactory
from tests.permissions import make_staff_with_mfa

pytestmark = pytest.mark.django_db

PASSWORD = "korrekt-hast-batteri"


def verified(user):
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def test_staff_without_mfa_cannot_reach_the_admin(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith(reverse("mfa_activate_totp"))


def test_a_superuser_who_is_not_staff_is_also_asked_for_mfa(client):
    client.force_login(UserFactory(is_superuser=True))
    response = client.get("/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith(reverse("mfa_activate_totp"))


def test_staff_with_mfa_reach_the_admin(client):
    client.force_login(make_staff_with_mfa())
    assert client.get("/admin/").status_code == 200


def test_non_staff_without_mfa_may_use_public_pages(client):
    client.force_login(UserFactory())
    assert client.get("/").status_code == 200


def test_staff_without_mfa_are_asked_to_set_it_up_right_after_logging_in(client):
    user = verified(UserFactory(is_staff=True))
    response = client.post(
        reverse("account_login"), {"login": user.email, "password": PASSWORD}, follow=True
    )
    # The start page ("Att göra") sends them to the setup, which (allauth) first asks for the
    # password again.
    assert response.redirect_chain[0][0] == "/att-gora/"
    assert response.redirect_chain[1][0].startswith(reverse("mfa_activate_totp"))
    assert response.redirect_chain[2][0].startswith(reverse("account_reauthenticate"))
    assert response.status_code == 200


@pytest.mark.parametrize("name", ["mfa_activate_totp", "mfa_index", "account_login"])
def test_staff_without_mfa_still_reach_the_account_pages(client, name):
    client.force_login(UserFactory(is_staff=True))
    response = client.get(reverse(name))
    assert not response.headers.get("Location", "").startswith(reverse("mfa_activate_totp"))
    assert response.status_code in (200, 302)


def test_staff_without_mfa_can_log_out(client):
    client.force_login(UserFactory(is_staff=True))
    response = client.post(reverse("account_logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_setting_up_mfa_lets_staff_in(client):
    user = UserFactory(is_staff=True)
    client.force_login(user)
    assert client.get("/").status_code == 302
    make_staff_with_mfa(user.email)
    assert client.get("/").status_code == 200


def test_the_admin_login_sends_visitors_to_allauths_login(client):
    response = client.get("/admin/", follow=False)
    assert response.status_code == 302
    admin_login = client.get(response.headers["Location"])
    assert admin_login.status_code == 302
    assert admin_login.headers["Location"].startswith(reverse("account_login") + "?next=/admin/")


def test_posting_to_the_admin_login_does_not_log_in(client):
    user = verified(UserFactory(is_staff=True, is_superuser=True))
    response = client.post("/admin/login/", {"username": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"].startswith(reverse("account_login"))
    assert "_auth_user_id" not in client.session


def test_the_admin_login_refuses_an_outside_next(client):
    response = client.get("/admin/login/?next=https://evil.example/")
    assert "evil.example" not in response.headers["Location"]


def test_logged_in_non_staff_get_403_from_the_admin_login(client):
    client.force_login(UserFactory())
    assert client.get("/admin/login/").status_code == 403


def test_the_idle_timeout_is_at_most_an_hour():
    from django.conf import settings

    assert settings.SESSION_COOKIE_AGE <= 60 * 60
    assert settings.SESSION_RENEW_SECONDS < settings.SESSION_COOKIE_AGE


def test_activity_renews_the_session_at_most_every_few_minutes(client, settings):
    from lov_portal.accounts.middleware import RENEWED_KEY

    client.force_login(UserFactory())
    client.get("/")
    first = client.session[RENEWED_KEY]
    expiry = client.session.get_expiry_date()
    client.get("/")
    assert client.session[RENEWED_KEY] == first  # not saved again within the window
    session = client.session
    session[RENEWED_KEY] = first - settings.SESSION_RENEW_SECONDS
    session.save()
    client.get("/")
    assert client.session[RENEWED_KEY] >= first
    assert client.session.get_expiry_date() >= expiry


def test_a_session_older_than_the_absolute_age_is_ended(client, settings):
    settings.SESSION_ABSOLUTE_AGE = 60
    client.force_login(UserFactory())
    client.get("/")
    session = client.session
    session[LOGIN_TIME_KEY] = int(time.time()) - 61
    session.save()
    response = client.get(reverse("audit:event_list"))
    assert response.status_code == 302
    assert response.headers["Location"].startswith(reverse("account_login"))
    assert "_auth_user_id" not in client.session


def test_a_young_session_is_kept(client, settings):
    settings.SESSION_ABSOLUTE_AGE = 60
    user = UserFactory()
    client.force_login(user)
    client.get("/")
    client.get("/")
    assert client.session["_auth_user_id"] == str(user.pk)


def test_users_see_their_sessions_and_can_end_the_others(client):
    from django.test import Client

    user = verified(UserFactory(email="medlem@example.se"))
    other_device = Client()
    for each in (client, other_device):
        response = each.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
        assert response.status_code == 302
        each.get("/")
    page = client.get(reverse("usersessions_list"))
    assert page.status_code == 200
    assert len(page.context["sessions"]) == 2
    client.post(reverse("usersessions_list"))
    assert other_device.get(reverse("usersessions_list")).status_code == 302
    assert client.get(reverse("usersessions_list")).status_code == 200
    assert Session.objects.count() == 1


def test_changing_the_email_asks_for_reauthentication(client, settings):
    assert settings.ACCOUNT_REAUTHENTICATION_REQUIRED is True
    user = verified(UserFactory(email="medlem2@example.se"))
    client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    session = client.session
    session["account_authentication_records"] = [
        {"method": "password", "at": time.time() - 3600, "email": user.email}
    ]
    session.save()
    response = client.get(reverse("account_email"))
    assert response.status_code == 200
    response = client.post(reverse("account_email"), {"action_add": "", "email": "ny@example.se"})
    assert response.status_code == 302
    assert response.headers["Location"].startswith(reverse("account_reauthenticate"))


def test_staff_deactivating_an_account_in_the_admin_ends_its_sessions(client):
    """Reactivating it later then does not bring an old (possibly stolen) cookie back."""
    from django.test import Client

    user = verified(UserFactory(email="avstangs@example.se", full_name="Ada Avstängd"))
    device = Client()
    response = device.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert device.get(reverse("usersessions_list")).status_code == 200
    staff = make_staff_with_mfa(email="kansli@example.se")
    staff.is_superuser = True
    staff.save()
    client.force_login(staff)
    change = reverse("admin:accounts_user_change", args=[user.pk])
    assert client.get(change).status_code == 200
    response = client.post(
        change,
        {
            "email": user.email,
            "full_name": user.full_name,
            "preferred_language": "sv",
            "date_joined_0": user.date_joined.strftime("%Y-%m-%d"),
            "date_joined_1": user.date_joined.strftime("%H:%M:%S"),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    user.refresh_from_db()
    assert not user.is_active
    assert Session.objects.count() == 1  # the staff member's own
    user.is_active = True
    user.save()
    assert device.get(reverse("usersessions_list")).status_code == 302
