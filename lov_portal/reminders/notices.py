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
<<<<<<< HEAD
from lov_portal.accounts.models import User
from lov_portal.accounts.permissions import is_staff
from lov_portal.core.http import absolute_url
from meetings.models import (
    ApprovalDecision,
    GroupMember,
    Minutes,
    MinutesApproval,
    MinutesRevision,
    MinutesStatus,
)
=======
>>>>>>> s22-reminders
from meetings.signals import minutes_answered, minutes_sent
from organisations.models import ApplicationReview, OrganisationStatus, ReviewAction
from organisations.signals import application_replied

<<<<<<< HEAD
from .kinds import _staff_ids, local_date
from .registry import Due, Message, ReminderKind, register

NOTICE_WINDOW = datetime.timedelta(days=14)


def _is_in_group_or_minutes(user: User) -> bool:
    return (
        user.is_staff
        or GroupMember.objects.filter(user=user).exists()
        or Minutes.objects.filter(Q(chair=user) | Q(checkers=user) | Q(secretary=user)).exists()
    )


# --- Minutes sent for approval: to the checkers and the chair ---------------------------------


def minutes_sent_rule(now: datetime.datetime) -> Iterator[Due]:
    revisions = MinutesRevision.objects.filter(
        minutes__status=MinutesStatus.SENT,
        minutes__current_revision=F("pk"),
        created_at__gte=now - NOTICE_WINDOW,
    ).select_related("minutes")
    answered = set(
        MinutesApproval.objects.filter(revision__in=revisions).values_list("revision_id", "user_id")
    )
    checkers: dict[int, set[int]] = {}
    for minutes_id, user_id in Minutes.checkers.through.objects.filter(
        minutes__in=[r.minutes_id for r in revisions]
    ).values_list("minutes_id", "user_id"):
        checkers.setdefault(minutes_id, set()).add(user_id)
    for revision in revisions:
        people = set(checkers.get(revision.minutes_id, set()))
        if revision.minutes.chair_id:
            people.add(revision.minutes.chair_id)
        for user_id in sorted(people):
            if (revision.pk, user_id) not in answered:
                yield Due(revision, user_id, local_date(revision.created_at))


def minutes_sent_message(revision: MinutesRevision, due_on: datetime.date) -> Message:
    minutes = revision.minutes
    return Message(
        subject=_("Protokoll att justera: %(minutes)s") % {"minutes": minutes},
        body=_(
            "Hej!\n\n%(minutes)s har skickats för justering. Läs protokollet och justera det "
            "eller skicka tillbaka det med en kommentar. Det finns också under Att göra.\n%(url)s"
        )
        % {"minutes": minutes, "url": absolute_url("meetings:minutes_detail", minutes.meeting_id)},
        attachments=[],
    )


register(
    ReminderKind(
        key="minutes_sent_notice",
        label=gettext_lazy("Genast när ett protokoll skickas för justering till dig"),
        reason=gettext_lazy("Du är justerare eller ordförande för protokollet."),
        rule=minutes_sent_rule,
        message=minutes_sent_message,
        applies_to=_is_in_group_or_minutes,
    )
)


# --- Approved or returned: to the secretary ---------------------------------------------------


def minutes_answered_rule(now: datetime.datetime) -> Iterator[Due]:
    approvals = MinutesApproval.objects.filter(
        created_at__gte=now - NOTICE_WINDOW, revision__minutes__secretary__isnull=False
    ).select_related("revision__minutes")
    for approval in approvals:
        secretary_id = approval.revision.minutes.secretary_id
        if secretary_id != approval.user_id:
            yield Due(approval, secretary_id, local_date(approval.created_at))


def minutes_answered_message(approval: MinutesApproval, due_on: datetime.date) -> Message:
    minutes = approval.revision.minutes
    values = {
        "minutes": minutes,
        "person": approval.user.get_full_name(),
        "comment": approval.comment or "–",
        "url": absolute_url("meetings:minutes_detail", minutes.meeting_id),
    }
    if approval.decision == ApprovalDecision.RETURNED:
        return Message(
            subject=_("Protokollet har skickats tillbaka: %(minutes)s") % values,
            body=_(
                "Hej!\n\n%(person)s har skickat tillbaka %(minutes)s med kommentaren:\n"
                "%(comment)s\n\nRätta utkastet och skicka det för justering igen.\n%(url)s"
            )
            % values,
            attachments=[],
        )
    return Message(
        subject=_("Protokollet har justerats av %(person)s: %(minutes)s") % values,
        body=_(
            "Hej!\n\n%(person)s har justerat %(minutes)s. När alla har justerat kan du "
            "publicera protokollet.\n%(url)s"
        )
        % values,
        attachments=[],
    )


register(
    ReminderKind(
        key="minutes_answered_notice",
        label=gettext_lazy("Genast när någon justerar eller skickar tillbaka ditt protokoll"),
        reason=gettext_lazy("Du är sekreterare för protokollet."),
        rule=minutes_answered_rule,
        message=minutes_answered_message,
        applies_to=_is_in_group_or_minutes,
    )
)


# --- An applicant answered a request for more information: to staff ---------------------------


def application_replied_rule(now: datetime.datetime) -> Iterator[Due]:
    replies = ApplicationReview.objects.filter(
        action=ReviewAction.APPLICANT_REPLY,
        created_at__gte=now - NOTICE_WINDOW,
        application__organisation__status=OrganisationStatus.APPLIED,
    )
    staff = _staff_ids()
    for reply in replies:
        for user_id in staff:
            if user_id != reply.author_id:
                yield Due(reply, user_id, local_date(reply.created_at))


def application_replied_message(reply: ApplicationReview, due_on: datetime.date) -> Message:
    application = reply.application
    documents = ", ".join(
        f"{document.get_kind_display()} ({document.original_name})"
        for document in reply.documents.all()
    )
    return Message(
        subject=_("Komplettering från %(organisation)s")
        % {"organisation": application.organisation},
        body=_(
            "Hej!\n\n%(organisation)s har svarat på begäran om komplettering.\n\n"
            "Svar: %(message)s\nBifogade dokument: %(documents)s\n\n"
            "Ansökan väntar på granskning:\n%(url)s"
        )
        % {
            "organisation": application.organisation,
            "message": reply.reason or "–",
            "documents": documents or "–",
            "url": absolute_url("organisations:review_detail", application.pk),
        },
        attachments=[],
    )


register(
    ReminderKind(
        key="application_replied_notice",
        label=gettext_lazy("Genast när en sökande har skickat en komplettering (personal)"),
        reason=gettext_lazy("Du är personal vid kansliet och handlägger ansökningar."),
        rule=application_replied_rule,
        message=application_replied_message,
        applies_to=is_staff,
    )
)


# --- The events -------------------------------------------------------------------------------

=======
>>>>>>> s22-reminders

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
