"""The reminder kinds, one module for each app whose schema they read (docs/decisions.md).

Rules return every reminder that is due at `now`; the due date in each is chosen so that a
reminder that stays true for days (a stale commitment, a review coming up) is still one row.
Dates are the portal's (`timezone.localdate()`), months are counted with `relativedelta`.

Every e-mail ends with why it was sent and a link to the preferences page. The order below is
the order of the preferences page.
"""

from __future__ import annotations

from ..registry import register
from . import agreements, commitments, meetings, organisations
from .agreements import confirm_current_version_rule, review_due_rule
from .commitments import action_due_rule, action_url, commitment_stale_rule
from .meetings import (
    few_meetings_rule,
    follow_up_conference_rule,
    meeting_upcoming_rule,
    minutes_answered_rule,
    minutes_approval_rule,
    minutes_sent_rule,
)
from .organisations import add_working_days, application_waiting_rule

for _kind in (
    meetings.MEETING_UPCOMING,
    commitments.COMMITMENT_STALE,
    meetings.FOLLOW_UP_CONFERENCE,
    meetings.STAFF_FEW_MEETINGS,
    agreements.STAFF_REVIEW_DUE,
    agreements.CONFIRM_CURRENT_VERSION,
    meetings.MINUTES_APPROVAL,
    commitments.ACTION_DUE,
    organisations.STAFF_APPLICATION_WAITING,
    # The notices, sent at once when the event happens (notices.py).
    meetings.MINUTES_SENT_NOTICE,
    meetings.MINUTES_ANSWERED_NOTICE,
    organisations.APPLICATION_REPLIED_NOTICE,
):
    register(_kind)

__all__ = [
    "action_due_rule",
    "action_url",
    "add_working_days",
    "application_waiting_rule",
    "commitment_stale_rule",
    "confirm_current_version_rule",
    "few_meetings_rule",
    "follow_up_conference_rule",
    "meeting_upcoming_rule",
    "minutes_answered_rule",
    "minutes_approval_rule",
    "minutes_sent_rule",
    "review_due_rule",
]
