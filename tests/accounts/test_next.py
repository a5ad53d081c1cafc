"""Every redirect chain keeps where the person was going (`next`), and only to this site."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse

from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db

APPLY = "/organisationer/ansok/"


def test_anonymous_visitor_is_sent_to_log_in_with_next_the_application(client):
    response = client.get(APPLY)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next={APPLY}"


def test_signup_and_email_confirmation_land_on_the_application(client):
    response = client.post(
        reverse("account_signup"),
        {
            "email": "ny@example.se",
            "password1": "korrekt-hast-batteri",
            "password2": "korrekt-hast-batteri",
            "next": APPLY,
        },
    )
    assert response.status_code == 302
    body = mail.outbox[-1].body
    link = re.search(r"https?://[^/\s]+(/\S+)", body).group(1)
    response = client.get(link)
    response = client.post(link)
    assert response["Location"] == APPLY


def _totp_code(secret: str) -> str:
    from allauth.mfa.totp.internal.auth import (
        format_hotp_value,
        hotp_value,
        yield_hotp_counters_from_time,
    )

    counter = next(iter(yield_hotp_counters_from_time()))
    return format_hotp_value(hotp_value(secret, counter))


def test_staff_on_a_deep_link_logs_in_reauthenticates_sets_up_mfa_and_is_offered_the_link(client):
    deep = "/organisationer/granskning/?status=applied"
    from allauth.account.models import EmailAddress

    user = UserFactory(is_staff=True, email="ny-personal@example.se")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    response = client.post(
        reverse("account_login"),
        {"login": user.email, "password": "korrekt-hast-batteri", "next": deep},
    )
    assert response["Location"] == deep
    # Staff without MFA: sent to set it up, with the whole deep link (query string too) kept.
    response = client.get(deep)
    assert response["Location"] == (
        f"{reverse('mfa_activate_totp')}?next=/organisationer/granskning/%3Fstatus%3Dapplied"
    )
    activate = response["Location"]
    # Re-authentication (asked by allauth before MFA set-up) keeps it as well.
    client.logout()
    client.force_login(user)
    response = client.get(activate)
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    response = client.post(response["Location"], {"password": "korrekt-hast-batteri"})
    assert response["Location"] == activate
    response = client.get(activate)
    assert response.status_code == 200
    secret = response.context["form"].secret
    response = client.post(reverse("mfa_activate_totp"), {"code": _totp_code(secret)})
    assert response["Location"] == reverse("mfa_view_recovery_codes")
    response = client.get(response["Location"])
    assert f'href="{deep}"' in response.content.decode()


@pytest.mark.parametrize(
    "evil", ["https://evil.example/", "//evil.example/", "/\\evil.example/", "javascript:x"]
)
def test_mfa_set_up_never_offers_a_foreign_next(client, rf, evil):
    from lov_portal.core.http import safe_next

    assert safe_next(rf.get("/"), evil, "") == ""
    from tests.agreements.factories import reauthenticate

    user = UserFactory()
    client.force_login(user)
    reauthenticate(client, user)
    assert client.get(f"{reverse('mfa_activate_totp')}?next={evil}").status_code == 200
    assert "lov_next" not in client.session
    client.get(f"{reverse('mfa_activate_totp')}?next=/moten/")
    assert client.session["lov_next"] == "/moten/"


def _sign_up(client, next_url: str, email: str = "annan@example.se") -> str:
    response = client.post(
        reverse("account_signup"),
        {
            "email": email,
            "password1": "korrekt-hast-batteri",
            "password2": "korrekt-hast-batteri",
            "next": next_url,
        },
    )
    assert response.status_code == 302
    return re.search(r"https?://[^/\s]+(/\S+)", mail.outbox[-1].body).group(1)


def test_the_confirmation_link_keeps_next_in_another_browser(client, django_user_model):
    from django.test import Client

    link = _sign_up(client, APPLY)
    assert link.endswith(f"?next={APPLY}")
    other = Client()  # the e-mail opened on another device: no session of the sign-up
    page = other.get(link)
    assert page.status_code == 200
    assert f'name="next" value="{APPLY}"' in page.content.decode()
    response = other.post(link, {"next": APPLY})
    assert response["Location"] == APPLY
    response = other.get(APPLY)
    assert response["Location"] == f"{reverse('account_login')}?next={APPLY}"
    response = other.post(
        response["Location"],
        {"login": "annan@example.se", "password": "korrekt-hast-batteri", "next": APPLY},
    )
    assert response["Location"] == APPLY
    assert other.get(APPLY).status_code == 200


@pytest.mark.parametrize("evil", ["https://evil.example/", "//evil.example/", "foo", "/\\evil/"])
def test_the_confirmation_link_carries_no_foreign_next(client, evil):
    link = _sign_up(client, evil)
    assert "next=" not in link
