import json

import pytest
from django.urls import reverse

from lov_portal.accounts.models import User
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "korrekt-hast-batteri"


def test_the_export_is_a_json_download_of_my_own_data(client):
    user = UserFactory(email="jag@example.se")
    UserFactory(email="nagon-annan@example.se")
    client.force_login(user)
    response = client.get(reverse("privacy:export"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.content)
    assert data["account"]["email"] == "jag@example.se"
    assert "nagon-annan" not in response.content.decode()


def test_the_overview_links_export_sessions_and_deletion(client):
    client.force_login(UserFactory())
    html = client.get(reverse("privacy:overview")).content.decode()
    for name in ("privacy:export", "privacy:account_delete", "usersessions_list"):
        assert reverse(name) in html


def test_deleting_needs_the_password_and_the_confirmation(client):
    user = UserFactory(email="radera@example.se")
    client.force_login(user)
    url = reverse("privacy:account_delete")
    response = client.post(url, {"password": PASSWORD})
    assert response.status_code == 200
    assert "confirm" in response.context["form"].errors
    response = client.post(url, {"password": "fel-losenord", "confirm": "on"})
    assert "password" in response.context["form"].errors
    assert User.objects.get(pk=user.pk).is_active


def test_deleting_logs_out_and_anonymises(client):
    user = UserFactory(email="radera@example.se")
    client.force_login(user)
    response = client.post(
        reverse("privacy:account_delete"), {"password": PASSWORD, "confirm": "on"}
    )
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
    user.refresh_from_db()
    assert not user.is_active
    assert "radera@example.se" not in user.email


def test_errors_are_linked_to_their_fields_and_the_form_keeps_nothing_secret(client):
    client.force_login(UserFactory(email="radera@example.se"))
    html = client.post(
        reverse("privacy:account_delete"), {"password": "fel-losenord"}
    ).content.decode()
    assert 'aria-describedby="id_password_error"' in html
    assert 'id="id_password_error"' in html
    assert 'aria-describedby="id_confirm_error"' in html
    assert "fel-losenord" not in html


def test_the_pages_are_translated_to_english(client):
    from tests.permissions import make_staff_with_mfa

    client.force_login(make_staff_with_mfa())
    assert "Download my data (JSON)" in client.get("/en/mina-uppgifter/").content.decode()
    assert "Delete your account" in client.get("/en/mina-uppgifter/radera-konto/").content.decode()
    assert "No events match the filter." in client.get("/en/granskning/").content.decode()
