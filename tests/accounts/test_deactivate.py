"""Deactivating an account has one way, `accounts.services.user_deactivate`: staff in the admin
and erasure both use it, and it ends every session the account logged in with (decision 89).
`User.save()` keeps the safety net for an account saved inactive some other way (decision 87,
tests/security/test_attack_s22.py)."""

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from lov_portal.accounts import services as account_services
from tests.accounts.factories import UserFactory
from tests.accounts.test_security import PASSWORD, verified
from tests.permissions import admin_saves_user

pytestmark = pytest.mark.django_db


def _logged_in_device(user) -> Client:
    device = Client()
    response = device.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert device.get(reverse("usersessions_list")).status_code == 200
    return device


@pytest.fixture
def deactivations(monkeypatch):
    """The users `user_deactivate` was called for, wherever it is called from."""
    called = []
    real = account_services.user_deactivate

    def spy(*, user, **kwargs):
        called.append(user.pk)
        return real(user=user, **kwargs)

    monkeypatch.setattr(account_services, "user_deactivate", spy)
    monkeypatch.setattr("lov_portal.accounts.admin.user_deactivate", spy)
    monkeypatch.setattr("lov_portal.privacy.services.user_deactivate", spy)
    return called


@pytest.fixture
def ended(monkeypatch):
    """The users whose sessions were ended, once per call."""
    called = []
    real = account_services.sessions_end

    def spy(*, user):
        called.append(user.pk)
        return real(user=user)

    monkeypatch.setattr(account_services, "sessions_end", spy)
    return called


def test_deactivating_an_account_makes_it_inactive_and_ends_every_session_once(ended):
    user = verified(UserFactory(email="stangs-av@example.se"))
    devices = [_logged_in_device(user), _logged_in_device(user)]

    account_services.user_deactivate(user=user)

    user.refresh_from_db()
    assert not user.is_active
    assert not Session.objects.exists()
    assert ended == [user.pk]
    for device in devices:
        assert device.get(reverse("usersessions_list")).status_code == 302


def test_staff_deactivating_an_account_in_the_admin_go_through_the_service(client, deactivations):
    user = verified(UserFactory(email="admin-stanger@example.se", full_name="Ada"))
    admin_saves_user(client, user, full_name="Ada Avstängd")  # changed in the same form: kept
    assert not user.is_active
    assert user.full_name == "Ada Avstängd"
    assert deactivations == [user.pk]


def test_staff_saving_an_active_account_in_the_admin_do_not_deactivate_it(client, deactivations):
    user = verified(UserFactory(email="admin-aktiv@example.se", full_name="Ada"))
    admin_saves_user(client, user, full_name="Ada Aktiv", is_active="on")
    assert user.is_active and user.full_name == "Ada Aktiv"
    assert deactivations == []


def test_erasing_an_account_goes_through_the_service(deactivations):
    from lov_portal.privacy.services import account_anonymise

    user = verified(UserFactory(email="raderas-via-tjansten@example.se"))
    account_anonymise(user=user)
    user.refresh_from_db()
    assert not user.is_active
    assert deactivations == [user.pk]


def test_saving_an_account_inactive_some_other_way_still_ends_its_sessions(ended):
    user = verified(UserFactory(email="sparas-inaktiv@example.se"))
    device = _logged_in_device(user)
    user.is_active = False
    user.save()
    assert ended == [user.pk]
    assert device.get(reverse("usersessions_list")).status_code == 302
