"""The reminder kinds, one module for each app whose schema they read (docs/decisions.md).

Rules return every reminder that is due at `now`; the due date in each is chosen so that a
reminder that stays true for days (a stale commitment, a review coming up) is still one row.
Dates are the portal's (`timezone.localdate()`), months are counted with `relativedelta`.

Every e-mail ends with why it was sent and a link to the preferences page. The order below is
the order of the preferences page.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from lov_portal.accounts.permissions import is_staff

from ..registry import ReminderKind, register
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

# The catalogue: what each kind is called on the preferences page and says in its footer,
# who sees it and whose role requires it; the rules and messages are in the app modules.
for _kind in (
    ReminderKind(
        key="meeting_upcoming",
        label=gettext_lazy("Kommande möten i samverkansgruppen (7 dagar och 1 dag före)"),
        reason=gettext_lazy("Du är ledamot i samverkansgruppen som har mötet."),
        rule=meetings.meeting_upcoming_rule,
        message=meetings.meeting_upcoming_message,
        applies_to=meetings.is_group_member,
    ),
    ReminderKind(
        key="commitment_stale",
        label=gettext_lazy("Åtaganden utan statusuppdatering på sex månader"),
        reason=gettext_lazy("Du är rapportör för åtagandet."),
        rule=commitments.commitment_stale_rule,
        message=commitments.commitment_stale_message,
        applies_to=commitments.is_owner,
    ),
    ReminderKind(
        key="follow_up_conference",
        label=gettext_lazy("Fyra veckor före den årliga uppföljningskonferensen"),
        reason=gettext_lazy("Du är rapportör för minst ett åtagande."),
        rule=meetings.follow_up_conference_rule,
        message=meetings.follow_up_conference_message,
        applies_to=commitments.is_owner,
    ),
    ReminderKind(
        key="staff_few_meetings",
        label=gettext_lazy("Färre än fyra möten i samverkansgruppen under året (personal)"),
        reason=gettext_lazy("Du är personal vid kansliet och följer upp mötena."),
        rule=meetings.few_meetings_rule,
        message=meetings.few_meetings_message,
        applies_to=is_staff,
        required_for=is_staff,
    ),
    ReminderKind(
        key="staff_review_due",
        label=gettext_lazy("Överenskommelsens översyn inom sex månader (personal)"),
        reason=gettext_lazy("Du är personal vid kansliet och förbereder översynen."),
        rule=agreements.review_due_rule,
        message=agreements.review_due_message,
        applies_to=is_staff,
        required_for=is_staff,
    ),
    ReminderKind(
        key="confirm_current_version",
        label=gettext_lazy("Bekräfta en ny version av överenskommelsen"),
        reason=gettext_lazy(
            "Du är administratör eller firmatecknare för en organisation som undertecknat "
            "en tidigare version."
        ),
        rule=agreements.confirm_current_version_rule,
        message=agreements.confirm_current_version_message,
        applies_to=agreements.is_signatory,
    ),
    ReminderKind(
        key="minutes_approval",
        label=gettext_lazy(
            "Protokoll som väntar på din justering (3 dagar efter utskick, sedan varje vecka)"
        ),
        reason=gettext_lazy("Du är justerare eller ordförande för protokollet."),
        rule=meetings.minutes_approval_rule,
        message=meetings.minutes_approval_message,
        applies_to=meetings.is_approver,
        required_for=meetings.is_checker_or_chair,
    ),
    ReminderKind(
        key="action_due",
        label=gettext_lazy("Åtgärder som ska vara klara om en vecka eller är försenade"),
        reason=gettext_lazy("Du är ansvarig för åtgärden."),
        rule=commitments.action_due_rule,
        message=commitments.action_due_message,
        applies_to=commitments.is_action_owner,
    ),
    ReminderKind(
        key="staff_application_waiting",
        label=gettext_lazy("Ansökningar som väntat mer än fem arbetsdagar (personal)"),
        reason=gettext_lazy("Du är personal vid kansliet och handlägger ansökningar."),
        rule=organisations.application_waiting_rule,
        message=organisations.application_waiting_message,
        applies_to=is_staff,
        required_for=is_staff,
    ),
    # The notices, sent at once when the event happens (notices.py).
    ReminderKind(
        key="minutes_sent_notice",
        label=gettext_lazy("Genast när ett protokoll skickas för justering till dig"),
        reason=gettext_lazy("Du är justerare eller ordförande för protokollet."),
        rule=meetings.minutes_sent_rule,
        message=meetings.minutes_sent_message,
        applies_to=meetings.is_in_group_or_minutes,
    ),
    ReminderKind(
        key="minutes_answered_notice",
        label=gettext_lazy("Genast när någon justerar eller skickar tillbaka ditt protokoll"),
        reason=gettext_lazy("Du är sekreterare för protokollet."),
        rule=meetings.minutes_answered_rule,
        message=meetings.minutes_answered_message,
        applies_to=meetings.is_in_group_or_minutes,
    ),
    ReminderKind(
        key="application_replied_notice",
        label=gettext_lazy("Genast när en sökande har skickat en komplettering (personal)"),
        reason=gettext_lazy("Du är personal vid kansliet och handlägger ansökningar."),
        rule=organisations.application_replied_rule,
        message=organisations.application_replied_message,
        applies_to=is_staff,
    ),
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
