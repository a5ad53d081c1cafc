"""Justering with BankID as the step-up: a checker who linked their BankID may confirm the
answer by identifying with it instead of the password or a code, and only with their own."""

from __future__ import annotations

import pytest
from django.urls import reverse

from lov_portal.accounts import bankid
from lov_portal.accounts.services import bankid_link
from lov_portal.audit.models import AuditEvent
from meetings import services
from meetings.models import MinutesApproval, MinutesStatus
from tests.agreements.factories import enable_mfa

from .conftest import draft_with_items

PNO = "198507099805"
HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def sent(world):
    minutes = draft_with_items(world)
    services.minutes_send_for_approval(minutes=minutes, by=world.secretary)
    return minutes


@pytest.fixture
def checker(world, simulator):
    enable_mfa(world.checker)
    bankid_link(user=world.checker, personal_number=PNO, name="Jonas Justerare")
    return world.checker


def answer_url(world) -> str:
    return reverse("meetings:minutes_answer", args=[world.meeting.pk])


def ask_for_step_up(client, world, answer="approve"):
    """The checker answers; allauth suspends the POST and asks to confirm."""
    response = client.post(answer_url(world), {"answer": answer, "comment": "Stavfel."})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    return response["Location"]


def start_bankid(client, world, simulator):
    response = client.post(reverse("accounts:bankid_step_up_start"), {"next": answer_url(world)})
    assert response["Location"] == reverse("accounts:bankid_order")
    method, _body = simulator.requests[-1]
    assert method == "auth"
    return client.session[bankid.SESSION_KEY]


def still_asks(client, world, sent):
    sent.refresh_from_db()
    assert sent.status == MinutesStatus.SENT
    assert not MinutesApproval.objects.filter(revision__minutes=sent).exists()
    ask_for_step_up(client, world)  # the next answer asks again


@pytest.mark.parametrize("answer", ["approve", "return"])
def test_the_checkers_own_bankid_confirms_the_answer(
    client, world, sent, checker, simulator, answer
):
    client.force_login(checker)
    reauthenticate_page = client.get(ask_for_step_up(client, world, answer)).content.decode()
    assert "Legitimera med BankID" in reauthenticate_page
    assert reverse("accounts:bankid_step_up") in reauthenticate_page
    step_up = client.get(reverse("accounts:bankid_step_up"), {"next": answer_url(world)})
    assert f'value="{answer_url(world)}"' in step_up.content.decode()
    order = start_bankid(client, world, simulator)
    page = client.get(reverse("accounts:bankid_order")).content.decode()
    assert "Legitimera med BankID" in page and "<script>" not in page
    simulator.approve(order["order_ref"], personal_number=PNO, name="Jonas Justerare")
    done = client.post(reverse("accounts:bankid_collect"), **HX)
    assert done.status_code == 204
    assert done["HX-Redirect"] == reverse("meetings:minutes_detail", args=[world.meeting.pk])
    sent.refresh_from_db()
    if answer == "approve":
        assert MinutesApproval.objects.filter(revision__minutes=sent, user=checker).exists()
    else:
        assert sent.status == MinutesStatus.DRAFT


def test_it_counts_for_as_long_as_a_password_would(client, world, sent, checker, simulator):
    client.force_login(checker)
    ask_for_step_up(client, world)
    order = start_bankid(client, world, simulator)
    simulator.approve(order["order_ref"], personal_number=PNO)
    client.post(reverse("accounts:bankid_collect"), **HX)
    records = client.session["account_authentication_methods"]
    assert records[-1]["method"] == "bankid" and records[-1]["reauthenticated"]
    assert PNO not in str(records)
    # Expired like allauth's own: older than ACCOUNT_REAUTHENTICATION_TIMEOUT asks again.
    session = client.session
    session["account_authentication_methods"] = [{**records[-1], "at": records[-1]["at"] - 301}]
    session.save()
    ask_for_step_up(client, world)


def test_another_persons_bankid_is_refused(client, world, sent, checker, simulator):
    client.force_login(checker)
    ask_for_step_up(client, world)
    order = start_bankid(client, world, simulator)
    simulator.approve(order["order_ref"], personal_number="199001019802")
    page = client.post(reverse("accounts:bankid_collect"), **HX).content.decode()
    assert "är inte det som är kopplat till ditt konto" in page
    assert "hx-trigger" not in page
    assert AuditEvent.objects.filter(action="account.bankid_refused", actor=checker).exists()
    still_asks(client, world, sent)


@pytest.mark.parametrize("outcome", ["userCancel", "expiredTransaction", "cancel"])
def test_a_cancelled_or_expired_order_leaves_the_step_up_unsatisfied(
    client, world, sent, checker, simulator, clock, outcome
):
    client.force_login(checker)
    ask_for_step_up(client, world)
    order = start_bankid(client, world, simulator)
    if outcome == "cancel":
        response = client.post(reverse("accounts:bankid_cancel"))
        assert response["Location"].startswith(reverse("accounts:bankid_step_up"))
        assert order["order_ref"] not in simulator.orders
    else:
        if outcome == "expiredTransaction":
            clock.now += 180
        else:
            simulator.refuse(order["order_ref"], outcome)
        page = client.post(reverse("accounts:bankid_collect"), **HX).content.decode()
        assert "hx-trigger" not in page and "Försök igen" in page
    still_asks(client, world, sent)


def test_a_checker_without_a_linked_bankid_is_not_offered_it(client, world, sent, simulator):
    enable_mfa(world.checker)
    client.force_login(world.checker)
    page = client.get(ask_for_step_up(client, world)).content.decode()
    assert "Legitimera med BankID" not in page
    response = client.post(reverse("accounts:bankid_step_up_start"), {"next": answer_url(world)})
    assert response["Location"] == reverse("accounts:bankid")
    assert not simulator.requests
    still_asks(client, world, sent)


def test_without_bankid_configured_it_is_not_offered(
    client, world, sent, checker, simulator, settings
):
    settings.LOV_BANKID_URL = ""
    client.force_login(checker)
    assert (
        "Legitimera med BankID" not in client.get(ask_for_step_up(client, world)).content.decode()
    )
