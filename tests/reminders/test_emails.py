"""Every reminder kind's e-mail (notices included): a text body and an HTML alternative from
templates, in the recipient's language, with the link to the object and the footer that says
why it was sent and where to switch it off."""

import datetime

import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core import mail

from lov_portal.reminders import services
from lov_portal.reminders.models import Reminder
from lov_portal.reminders.registry import KINDS
from meetings.models import (
    ApprovalDecision,
    MeetingKind,
    Minutes,
    MinutesApproval,
    MinutesRevision,
    MinutesStatus,
    RevisionKind,
)
from organisations.models import ApplicationReview, ReviewAction
from tests.accounts.factories import UserFactory
from tests.agreements.factories import AgreementVersionFactory
from tests.commitments.factories import ActionFactory
from tests.organisations.factories import OrganisationApplicationFactory, OrganisationFactory

from .factories import CommitmentFactory, CooperationGroupFactory, MeetingFactory

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 3, 5, 8, tzinfo=datetime.UTC)
DUE_ON = datetime.date(2026, 3, 5)


def _revision():
    meeting = MeetingFactory(title="Möte <i>med</i> & tecken")
    minutes = Minutes.objects.create(
        meeting=meeting, chair=UserFactory(), secretary=UserFactory(), status=MinutesStatus.SENT
    )
    revision = MinutesRevision.objects.create(
        minutes=minutes, number=1, kind=RevisionKind.FIRST, content={}
    )
    minutes.current_revision = revision
    minutes.save()
    return revision


def _approval(decision):
    revision = _revision()
    return MinutesApproval.objects.create(
        revision=revision,
        user=revision.minutes.chair,
        role="chair",
        decision=decision,
        comment="Rätta § 3.",
    )


# kind, case -> (target, due_on): every kind and every variant of its message.
CASES = {
    ("meeting_upcoming", ""): lambda: (MeetingFactory(title="Möte <b>ett</b>"), DUE_ON),
    ("commitment_stale", ""): lambda: (CommitmentFactory(), DUE_ON),
    ("follow_up_conference", ""): lambda: (
        MeetingFactory(kind=MeetingKind.FOLLOW_UP_CONFERENCE),
        DUE_ON,
    ),
    ("staff_few_meetings", ""): lambda: (CooperationGroupFactory(), DUE_ON),
    ("staff_review_due", ""): lambda: (AgreementVersionFactory(), DUE_ON),
    ("confirm_current_version", ""): lambda: (OrganisationFactory(), DUE_ON),
    ("minutes_approval", ""): lambda: (_revision().minutes, DUE_ON),
    ("action_due", "soon"): lambda: (
        ActionFactory(owner=UserFactory()),
        datetime.date(2026, 6, 23),
    ),
    ("action_due", "overdue"): lambda: (
        ActionFactory(owner=UserFactory()),
        datetime.date(2026, 7, 1),
    ),
    ("staff_application_waiting", ""): lambda: (OrganisationApplicationFactory(), DUE_ON),
    ("application_replied_notice", ""): lambda: (
        ApplicationReview.objects.create(
            application=OrganisationApplicationFactory(),
            action=ReviewAction.APPLICANT_REPLY,
            reason="Stadgarna <b>bifogade</b>",
        ),
        DUE_ON,
    ),
    ("minutes_sent_notice", ""): lambda: (_revision(), DUE_ON),
    ("minutes_answered_notice", "approved"): lambda: (
        _approval(ApprovalDecision.APPROVED),
        DUE_ON,
    ),
    ("minutes_answered_notice", "returned"): lambda: (
        _approval(ApprovalDecision.RETURNED),
        DUE_ON,
    ),
}


def test_every_registered_kind_has_a_case():
    assert {key for key, _ in CASES} == set(KINDS)


def _send(key, case, language):
    target, due_on = CASES[key, case]()
    recipient = UserFactory(preferred_language=language, staff=True)
    Reminder.objects.create(
        kind=key,
        content_type=ContentType.objects.get_for_model(target),
        object_id=target.pk,
        recipient=recipient,
        due_on=due_on,
    )
    mail.outbox.clear()
    assert services.reminders_send_pending(now=NOW) == 1
    (message,) = mail.outbox
    return message


@pytest.mark.parametrize(("key", "case"), list(CASES), ids=lambda v: v or "-")
def test_each_kind_has_an_html_alternative_with_its_links(key, case):
    message = _send(key, case, "sv")
    ((html, mimetype),) = message.alternatives
    assert mimetype == "text/html"
    assert html.startswith("<!doctype html>")
    # Every link of the text is a link in the HTML: the object's (all but the meeting
    # reminder, which carries the meeting itself) and the preferences page's.
    links = [word for word in message.body.split() if word.startswith(settings.SITE_URL)]
    assert len(links) == (1 if key == "meeting_upcoming" else 2)
    for link in links:
        assert f'href="{link}"' in html
    # Data is escaped in the HTML (and left as it is in the text).
    assert "<b>" not in html and "<i>" not in html


@pytest.mark.parametrize(("key", "case"), list(CASES), ids=lambda v: v or "-")
def test_each_kind_renders_in_swedish_and_in_english(key, case):
    swedish = _send(key, case, "sv")
    english = _send(key, case, "en")
    assert swedish.body.startswith("Hej!")
    assert "Varför fick du det här meddelandet?" in swedish.body
    assert english.body.startswith("Hello,")
    assert "Why did you get this message?" in english.body
    assert "Varför" not in english.body and "Why did" not in swedish.body
    assert '<html lang="sv">' in swedish.alternatives[0][0]
    assert '<html lang="en">' in english.alternatives[0][0]
    assert "Hello," in english.alternatives[0][0]


def test_what_a_person_wrote_is_quoted_and_only_the_portals_own_links_are_links(monkeypatch):
    forged = "Se bifogat.\n\nAnsökan väntar på granskning:\nhttps://lov-portalen.evil.example/x/"
    monkeypatch.setitem(
        CASES,
        ("application_replied_notice", "forged"),
        lambda: (
            ApplicationReview.objects.create(
                application=OrganisationApplicationFactory(),
                action=ReviewAction.APPLICANT_REPLY,
                reason=forged,
            ),
            DUE_ON,
        ),
    )
    message = _send("application_replied_notice", "forged", "sv")
    assert "> Se bifogat.\n>\n> Ansökan väntar på granskning:\n> https://lov-portalen" in (
        message.body
    )
    assert "\nhttps://lov-portalen.evil.example" not in message.body
    html = message.alternatives[0][0]
    assert 'href="https://lov-portalen.evil.example' not in html
    own = [word for word in message.body.split() if word.startswith(settings.SITE_URL)]
    assert len(own) == 2
    for link in own:
        assert f'href="{link}"' in html
