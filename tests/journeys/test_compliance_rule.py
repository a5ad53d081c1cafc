"""One rule for "at least four meetings a year": the meetings page, the staff reminder and the
annual report say the same thing about the same year."""

from __future__ import annotations

import pytest
from django.core import mail

from lov_portal.reminders import kinds, services
from lov_portal.reports.selectors import report_data
from meetings.models import MeetingKind
from meetings.selectors import meeting_requirement, year_overview
from tests.meetings.factories import MeetingFactory, local_dt

pytestmark = pytest.mark.django_db


def _meetings(group, plan):
    for (year, month), kind in plan:
        MeetingFactory(group=group, kind=kind, starts_at=local_dt(year, month, 10))


@pytest.mark.parametrize(
    ("plan", "expected"),
    [
        # The case of the issue: 6 meetings of every kind in the calendar year, 3 group
        # meetings from 1 September. Calendar year, every kind: 6 in 2026.
        (
            [
                ((2026, 2), MeetingKind.GROUP_MEETING),
                ((2026, 3), MeetingKind.DIALOGUE),
                ((2026, 5), MeetingKind.FOLLOW_UP_CONFERENCE),
                ((2026, 9), MeetingKind.GROUP_MEETING),
                ((2026, 10), MeetingKind.REVIEW),
                ((2026, 11), MeetingKind.GROUP_MEETING),
                ((2025, 12), MeetingKind.GROUP_MEETING),
                ((2027, 1), MeetingKind.GROUP_MEETING),
            ],
            6,
        ),
        ([((2026, 2), MeetingKind.GROUP_MEETING), ((2025, 11), MeetingKind.DIALOGUE)], 1),
    ],
)
def test_the_meetings_page_the_reminder_and_the_report_agree(client, world, plan, expected):
    world.meeting.delete()
    _meetings(world.group, plan)
    staff = world.staff
    now = local_dt(2026, 6, 1)
    met = expected >= 4

    requirement = meeting_requirement(group=world.group, year=2026, now=now)
    overview = year_overview(group=world.group, year=2026, now=now)
    report = report_data(agreement=world.group.agreement, year=2026)
    reminded = [d.recipient_id for d in kinds.few_meetings_rule(now)]

    assert requirement.total == overview.total == report.group_meetings_held == expected
    assert requirement.met == overview.meets_requirement == met
    assert reminded == ([] if met else [staff.pk])
    # The page says which meetings and which year count.
    html = client.get("/moten/arsoversikt/2026/").content.decode()
    assert "alla samverkansgruppens möten under kalenderåret 2026" in html
    if not met:
        services.reminders_schedule(now=now, kinds=["staff_few_meetings"])
        services.reminders_send_pending(now=now)
        (message,) = [m for m in mail.outbox if m.to == [staff.email]]
        assert f" {expected} möten hållna eller planerade under 2026" in message.body
