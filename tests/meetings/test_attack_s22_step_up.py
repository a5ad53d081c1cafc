"""Session 22 attack pass: two collects of one completed BankID step-up order racing (the
session is read by both before either saves it), against justering."""

from __future__ import annotations

import pytest
from django.urls import reverse

from meetings.models import MinutesApproval

from .test_step_up_bankid import (  # noqa: F401 (fixtures)
    HX,
    PNO,
    ask_for_step_up,
    checker,
    sent,
    start_bankid,
)

pytestmark = pytest.mark.django_db


def test_two_racing_collects_of_one_order_answer_once(client, world, sent, checker, simulator):  # noqa: F811
    client.force_login(checker)
    ask_for_step_up(client, world)
    order = start_bankid(client, world, simulator)
    simulator.approve(order["order_ref"], personal_number=PNO, name="Jonas Justerare")
    # What the second request read: the session before the first one saved it.
    read_by_both = dict(client.session.items())
    first = client.post(reverse("accounts:bankid_collect"), **HX)
    assert first.status_code == 204
    session = client.session
    session.update(read_by_both)
    session.save()
    second = client.post(reverse("accounts:bankid_collect"), **HX)
    assert second.status_code == 200, second
    assert "HX-Redirect" not in second
    assert "redan använd" in second.content.decode()
    assert MinutesApproval.objects.filter(revision__minutes=sent, user=checker).count() == 1
