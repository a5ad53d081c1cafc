"""Notices sent at once: the events that make reminder kinds write their rows right away.

A notice is an ordinary reminder kind (`kinds/meetings.py`: a rule of `now`, a message,
opt-outs on the preferences page, exactly-once delivery, the recipient's language). The lower
apps announce the events (`meetings.signals`, `agreements.signals`) and the receivers here
schedule the kind on commit, so the rows are written and sent right after the commit instead
of at the next scheduler run. The scheduler still runs the rules, so a notice whose event
found the broker down is sent on its next run.
"""

from __future__ import annotations

from django.dispatch import receiver

from agreements.signals import version_published
from meetings.signals import minutes_answered, minutes_sent
from organisations.signals import application_replied


def _schedule_on_commit(kind: str) -> None:
    from .tasks import schedule

    schedule.delay_on_commit(kinds=[kind])


@receiver(minutes_sent, dispatch_uid="reminders.notice.minutes_sent")
def _on_minutes_sent(sender: object, **kwargs: object) -> None:
    _schedule_on_commit("minutes_sent_notice")


@receiver(minutes_answered, dispatch_uid="reminders.notice.minutes_answered")
def _on_minutes_answered(sender: object, **kwargs: object) -> None:
    _schedule_on_commit("minutes_answered_notice")


@receiver(version_published, dispatch_uid="reminders.notice.version_published")
def _on_version_published(sender: object, **kwargs: object) -> None:
    # The reminder to confirm the new version is due from the day it is published: writing its
    # rows now sends it at once instead of at the next scheduler run.
    _schedule_on_commit("confirm_current_version")


@receiver(application_replied, dispatch_uid="reminders.notice.application_replied")
def _on_application_replied(sender: object, **kwargs: object) -> None:
    _schedule_on_commit("application_replied_notice")
