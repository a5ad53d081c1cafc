"""Approving or returning minutes (justering) asks for the same proof as signing: a second
factor set up before the form, and the password or a code again before the answer counts."""

from __future__ import annotations

import pytest
from django.urls import reverse

from meetings import services
from meetings.models import MinutesApproval, MinutesStatus
from tests.agreements.factories import enable_mfa, reauthenticate

from .conftest import draft_with_items


@pytest.fixture
def sent(world):
    minutes = draft_with_items(world)
    services.minutes_send_for_approval(minutes=minutes, by=world.secretary)
    return minutes


def answer_url(world) -> str:
    return reverse("meetings:minutes_answer", args=[world.meeting.pk])


def test_a_checker_without_a_second_factor_is_sent_to_set_one_up(client, world, sent):
    client.force_login(world.checker)
    response = client.get(answer_url(world))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_activate_totp"))
    assert "next=" in response["Location"]
    response = client.post(answer_url(world), {"answer": "approve"}, follow=True)
    assert "måste använda tvåstegsverifiering" in response.content.decode()
    sent.refresh_from_db()
    assert sent.status == MinutesStatus.SENT
    assert not MinutesApproval.objects.filter(revision__minutes=sent).exists()


@pytest.mark.parametrize("answer", ["approve", "return"])
def test_the_answer_counts_only_after_a_fresh_reauthentication(client, world, sent, answer):
    enable_mfa(world.checker)
    client.force_login(world.checker)
    assert client.get(answer_url(world)).status_code == 200
    data = {"answer": answer, "comment": "Namnet är felstavat."}
    response = client.post(answer_url(world), data)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    sent.refresh_from_db()
    assert sent.status == MinutesStatus.SENT
    assert not MinutesApproval.objects.filter(revision__minutes=sent).exists()

    reauthenticate(client, world.checker)
    response = client.post(answer_url(world), data)
    assert response["Location"] == reverse("meetings:minutes_detail", args=[world.meeting.pk])
    sent.refresh_from_db()
    if answer == "approve":
        assert MinutesApproval.objects.filter(revision__minutes=sent, user=world.checker).exists()
    else:
        assert sent.status == MinutesStatus.DRAFT


def test_someone_who_may_not_approve_gets_403_not_an_mfa_invitation(client, world, sent):
    client.force_login(world.member)
    assert client.get(answer_url(world)).status_code == 403
    assert client.post(answer_url(world), {"answer": "approve"}).status_code == 403
