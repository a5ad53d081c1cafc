"""The organisation e-mails go out from tasks after the commit, with text and HTML bodies."""

from __future__ import annotations

import pytest
from django.core import mail
from django.utils import translation

from organisations import tasks
from organisations.models import MembershipRequest, MembershipRole
from organisations.services import invitation_create, membership_request_create
from tests.accounts.factories import UserFactory
from tests.organisations.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def test_nothing_is_sent_before_the_commit_and_the_task_sends_text_and_html(
    django_capture_on_commit_callbacks,
):
    admin = MembershipFactory(role=MembershipRole.ADMIN, user__email="admin@example.se")
    with django_capture_on_commit_callbacks() as callbacks:
        membership_request_create(
            organisation=admin.organisation, user=UserFactory(), message="<b>Hej</b>"
        )
    assert mail.outbox == []  # the request itself sends nothing
    for callback in callbacks:
        callback()
    (message,) = mail.outbox
    assert message.to == ["admin@example.se"]
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert "&lt;b&gt;Hej&lt;/b&gt;" in html  # data is escaped in the HTML body
    assert "<b>Hej</b>" in message.body
    assert message.extra_headers["Message-ID"].startswith("<lov-membership-request-")


def test_the_email_is_in_the_language_of_the_request(django_capture_on_commit_callbacks):
    organisation = MembershipFactory(role=MembershipRole.ADMIN).organisation
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        invitation_create(
            organisation=organisation,
            email="ny@example.se",
            role=MembershipRole.MEMBER,
            invited_by=UserFactory(),
        )
    (message,) = mail.outbox
    assert "Invitation" in message.subject
    assert 'lang="en"' in message.alternatives[0][0]


def test_a_task_for_a_row_that_is_gone_sends_nothing():
    request = MembershipRequest.objects.create(
        organisation=MembershipFactory().organisation, user=UserFactory()
    )
    pk = request.pk
    request.delete()
    assert tasks.membership_requested_notify.apply(args=[pk]).get() == 0
    assert mail.outbox == []


def test_a_retry_sends_the_same_message_id():
    admin = MembershipFactory(role=MembershipRole.ADMIN)
    request = MembershipRequest.objects.create(organisation=admin.organisation, user=UserFactory())
    tasks.membership_requested_notify.apply(args=[request.pk])
    tasks.membership_requested_notify.apply(args=[request.pk])
    assert mail.outbox[0].extra_headers["Message-ID"] == mail.outbox[1].extra_headers["Message-ID"]
