"""Notices sent at once: the events that make reminder kinds write their rows right away.

A notice is an ordinary reminder kind (`kinds/meetings.py`: a rule of `now`, a message,
opt-outs on the preferences page, exactly-once delivery, the recipient's language). The lower
apps announce the events (`meetings.signals`, `agreements.signals`) and the receiver here
schedules the kind on commit, so the rows are written and sent right after the commit instead
of at the next scheduler run. The scheduler still runs the rules, so a notice whose event
found the broker down is sent on its next run.
"""

from __future__ import annotations

from django.dispatch import Signal

from agreements.signals import version_published
from meetings.signals import minutes_answered, minutes_sent
from organisations.signals import application_replied

# The event, and the reminder kind whose rows it writes at once.
NOTICES: dict[Signal, str] = {
    minutes_sent: "minutes_sent_notice",
    minutes_answered: "minutes_answered_notice",
    # The reminder to confirm the new version is due from the day it is published: writing its
    # rows now sends it at once instead of at the next scheduler run.
    version_published: "confirm_current_version",
    application_replied: "application_replied_notice",
}


def _schedule_on_commit(sender: object, signal: Signal, **kwargs: object) -> None:
    from .tasks import schedule

    schedule.delay_on_commit(kinds=[NOTICES[signal]])


for _signal, _kind in NOTICES.items():
    _signal.connect(_schedule_on_commit, dispatch_uid=f"reminders.notice.{_kind}")
