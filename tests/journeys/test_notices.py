"""Notices at once, by e-mail in the recipient's language, respecting opt-outs."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail

from agreements.services import agreement_version_create, signature_create
from lov_portal.reminders.models import ReminderOptOut
from meetings import services as meeting_services
from organisations.models import MembershipRole
from tests.organisations.factories import MembershipFactory, OrganisationFactory

from .conftest import draft_with_items

pytestmark = pytest.mark.django_db


def _send(world, capture):
    minutes = draft_with_items(world)
    with capture(execute=True):
        meeting_services.minutes_send_for_approval(minutes=minutes, by=world.secretary)
    return minutes


def _to(person):
    return [m for m in mail.outbox if m.to == [person.email]]


def test_checkers_and_chair_are_told_at_once_when_minutes_are_sent(
    world, django_capture_on_commit_callbacks
):
    _send(world, django_capture_on_commit_callbacks)
    for person in (world.checker, world.chair):
        (message,) = _to(person)
        assert "Protokoll att justera" in message.subject
        assert f"/moten/{world.meeting.pk}/protokoll/" in message.body
    assert _to(world.secretary) == []
    assert _to(world.member) == []


def test_an_english_checker_gets_the_notice_in_english(world, django_capture_on_commit_callbacks):
    world.checker.preferred_language = "en"
    world.checker.save()
    _send(world, django_capture_on_commit_callbacks)
    (message,) = _to(world.checker)
    assert "Minutes to approve" in message.subject
    assert "Hej" not in message.body
    (swedish,) = _to(world.chair)
    assert "Protokoll att justera" in swedish.subject


def test_a_checker_who_opted_out_gets_no_notice(world, django_capture_on_commit_callbacks):
    ReminderOptOut.objects.create(user=world.checker, kind="minutes_sent_notice")
    _send(world, django_capture_on_commit_callbacks)
    assert _to(world.checker) == []
    assert len(_to(world.chair)) == 1


def test_the_secretary_is_told_of_each_approval_and_of_a_return(
    world, django_capture_on_commit_callbacks
):
    minutes = _send(world, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        meeting_services.minutes_approve(minutes=minutes, by=world.checker)
    (approved,) = _to(world.secretary)
    assert "justerats av Jonas Justerare" in approved.subject
    with django_capture_on_commit_callbacks(execute=True):
        meeting_services.minutes_return(minutes=minutes, by=world.chair, comment="Rätta § 2.")
    returned = _to(world.secretary)[1]
    assert "skickats tillbaka" in returned.subject
    assert "Rätta § 2." in returned.body
    # Each event once: sending twice more changes nothing.
    assert len(_to(world.secretary)) == 2


def test_signatories_are_told_at_once_when_a_new_version_is_published(
    world, django_capture_on_commit_callbacks
):
    agreement = world.group.agreement
    organisation = OrganisationFactory()
    signatory = MembershipFactory(organisation=organisation, role=MembershipRole.SIGNATORY).user
    signatory.preferred_language = "en"
    signatory.save()
    bystander = MembershipFactory(organisation=organisation, role=MembershipRole.MEMBER).user
    current = agreement.versions.get(is_current=True)
    signature_create(organisation=organisation, version=current, signer_name="Anna Andersson")
    with django_capture_on_commit_callbacks(execute=True):
        agreement_version_create(
            agreement=agreement,
            number=current.number + 1,
            text="Den nya texten.",
            effective_from=datetime.date.today(),
        )
    (message,) = _to(signatory)
    assert "Confirm the new version" in message.subject
    assert _to(bystander) == []
