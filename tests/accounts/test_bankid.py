"""Linking a BankID to one's own account, and unlinking it, against the simulator."""

from __future__ import annotations

import base64

import pytest
from django.urls import reverse

from lov_portal.accounts import bankid
from lov_portal.accounts.models import BankIDLink
from lov_portal.audit.models import AuditEvent
from tests.accounts.factories import UserFactory
from tests.agreements.factories import reauthenticate

PNO = "198507099805"
HX = {"HTTP_HX_REQUEST": "true"}

pytestmark = pytest.mark.django_db


def url(name: str) -> str:
    return reverse(f"accounts:{name}")


def pending_order(client) -> dict:
    data = client.session.get(bankid.SESSION_KEY)
    assert data, "no BankID order in the session"
    return data


def test_the_personal_number_is_kept_only_as_a_keyed_hash(settings):
    digest = bankid.personal_number_hash(PNO)
    assert len(digest) == 64 and PNO not in digest
    assert digest == bankid.personal_number_hash(PNO)
    assert digest != bankid.personal_number_hash("199001019802")
    settings.LOV_BANKID_PNO_KEY = "another key"
    assert bankid.personal_number_hash(PNO) != digest


def test_linking_asks_for_the_password_again_first(client, simulator):
    user = UserFactory()
    client.force_login(user)
    response = client.post(url("bankid_link_start"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    assert not simulator.requests


def test_a_person_links_their_bankid_and_unlinks_it(client, simulator):
    user = UserFactory(email="linnea@example.se")
    client.force_login(user)
    assert "Koppla BankID" in client.get(reverse("privacy:overview")).content.decode()
    page = client.get(url("bankid")).content.decode()
    assert "Inget BankID är kopplat" in page
    reauthenticate(client, user)
    response = client.post(url("bankid_link_start"))
    assert response["Location"] == url("bankid_order")
    method, body = simulator.requests[-1]
    assert method == "auth"
    shown = base64.b64decode(body["userVisibleData"]).decode()
    assert "Koppla ditt BankID" in shown and "linnea@example.se" in shown
    order = pending_order(client)
    page = client.get(url("bankid_order")).content.decode()
    assert "Koppla BankID till ditt konto" in page
    assert 'hx-trigger="every 1s"' in page and 'hx-trigger="every 2s"' in page
    assert "<script>" not in page and 'style="' not in page
    assert order["qr_start_secret"] not in page
    assert client.get(url("bankid_qr")).content.startswith(b"<svg ")

    simulator.approve(order["order_ref"], personal_number=PNO, name="Linnea Länk")
    done = client.post(url("bankid_collect"), **HX)
    assert done.status_code == 204 and done["HX-Redirect"] == url("bankid")
    link = BankIDLink.objects.get(user=user)
    assert link.name == "Linnea Länk"
    assert link.personal_number_hash == bankid.personal_number_hash(PNO)
    assert PNO not in str(BankIDLink.objects.filter(pk=link.pk).values().get())
    event = AuditEvent.objects.get(action="account.bankid_linked")
    assert event.actor == user and PNO not in str(event.data)
    assert bankid.SESSION_KEY not in client.session
    assert client.get(url("bankid_qr")).status_code == 286
    page = client.get(url("bankid")).content.decode()
    assert "Linnea Länk" in page and PNO not in page

    response = client.post(url("bankid_unlink"))
    assert response["Location"] == url("bankid")
    assert not BankIDLink.objects.filter(user=user).exists()
    assert AuditEvent.objects.filter(action="account.bankid_unlinked", actor=user).exists()


def test_a_failed_link_order_links_nothing(client, simulator):
    user = UserFactory()
    client.force_login(user)
    reauthenticate(client, user)
    client.post(url("bankid_link_start"))
    simulator.refuse(pending_order(client)["order_ref"], "userCancel")
    page = client.post(url("bankid_collect"), **HX).content.decode()
    assert "Åtgärden avbruten." in page and "hx-trigger" not in page
    assert not BankIDLink.objects.exists()


def test_an_order_started_by_someone_else_is_not_theirs_to_collect(client, simulator):
    owner, other = UserFactory(), UserFactory()
    client.force_login(owner)
    reauthenticate(client, owner)
    client.post(url("bankid_link_start"))
    order = pending_order(client)
    simulator.approve(order["order_ref"], personal_number=PNO)
    # The same session data, read for another account: not theirs.
    session = client.session
    session[bankid.SESSION_KEY] = {**order, "user_id": other.pk}
    session.save()
    page = client.post(url("bankid_collect"), **HX).content.decode()
    assert "Det finns ingen pågående legitimering." in page
    assert client.get(url("bankid_qr")).status_code == 286
    assert not BankIDLink.objects.exists()


def test_without_bankid_configured_the_pages_are_not_there(client, settings):
    settings.LOV_BANKID_URL = ""
    user = UserFactory()
    client.force_login(user)
    assert client.get(url("bankid")).status_code == 404
    assert client.get(url("bankid_step_up")).status_code == 404
    assert "Koppla BankID" not in client.get(reverse("privacy:overview")).content.decode()


def test_unlinking_without_a_link_records_nothing(client, simulator):
    user = UserFactory()
    client.force_login(user)
    reauthenticate(client, user)
    assert client.post(url("bankid_unlink"))["Location"] == url("bankid")
    assert not AuditEvent.objects.filter(action="account.bankid_unlinked").exists()


def test_the_export_names_the_link_and_deleting_the_account_removes_it(client, simulator):
    from lov_portal.accounts.services import bankid_link
    from lov_portal.privacy.selectors import personal_data_export
    from lov_portal.privacy.services import account_anonymise

    user = UserFactory()
    bankid_link(user=user, personal_number=PNO, name="Linnea Länk")
    exported = personal_data_export(user=user)["bankid_link"]
    assert exported["name"] == "Linnea Länk" and PNO not in str(exported)
    account_anonymise(user=user)
    assert not BankIDLink.objects.filter(user=user).exists()


def test_two_accounts_racing_to_link_one_bankid_the_second_is_refused(monkeypatch):
    """The early check misses the other account's link (it is committed just after): the
    unique constraint stops the second link, and it is refused as the early check would."""
    from django.core.exceptions import ValidationError

    from lov_portal.accounts import services

    first, second = UserFactory(), UserFactory()
    services.bankid_link(user=first, personal_number=PNO, name="Rasmus Race")
    real = services._linked_elsewhere
    calls = []

    def linked_elsewhere(user, number_hash):
        calls.append(user)
        return False if len(calls) == 1 else real(user, number_hash)

    monkeypatch.setattr(services, "_linked_elsewhere", linked_elsewhere)
    with pytest.raises(ValidationError, match="redan kopplat till ett annat konto"):
        services.bankid_link(user=second, personal_number=PNO, name="Rasmus Race")
    assert len(calls) == 2  # refused by the constraint, then recognised
    assert not BankIDLink.objects.filter(user=second).exists()
    assert (
        BankIDLink.objects.get(personal_number_hash=bankid.personal_number_hash(PNO)).user == first
    )
    assert AuditEvent.objects.filter(
        action="account.bankid_link_refused", object_id=str(second.pk)
    ).exists()
    # The person may still link their own BankID again on their own account.
    services.bankid_link(user=first, personal_number=PNO, name="Rasmus Race")
    assert BankIDLink.objects.filter(user=first).count() == 1


def test_two_racing_collects_of_one_link_order_link_once(client, simulator):
    """Both requests read the session before either saved it: BankID answers both, and only
    the first may act on the answer."""
    user = UserFactory()
    client.force_login(user)
    reauthenticate(client, user)
    client.post(url("bankid_link_start"))
    order = pending_order(client)
    simulator.approve(order["order_ref"], personal_number=PNO, name="Linnea Länk")
    read_by_both = dict(client.session.items())
    assert client.post(url("bankid_collect"), **HX).status_code == 204
    client.post(url("bankid_unlink"))  # so that a second link would show
    session = client.session
    session.update(read_by_both)
    session.save()
    second = client.post(url("bankid_collect"), **HX)
    assert second.status_code == 200 and "HX-Redirect" not in second
    assert "redan använd" in second.content.decode()
    assert not BankIDLink.objects.filter(user=user).exists()
    assert AuditEvent.objects.filter(action="account.bankid_linked").count() == 1
