"""The reminder kinds that work on today's models: each rule a function of `now`.

Rules return every reminder that is due at `now`; the due date in each is chosen so that a
reminder that stays true for days (a stale commitment, a review coming up) is still one row.

Every e-mail ends with why it was sent and a link to the preferences page (services._footer).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from zoneinfo import ZoneInfo

from django.db.models import Q
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agreements.models import AgreementVersion, Signature
from commitments.models import ACTION_CLOSED_STATUSES, Action, Commitment
from lov_portal.accounts.models import User
from lov_portal.accounts.permissions import is_staff
from lov_portal.core.http import absolute_url
from meetings.models import (
    CooperationGroup,
    GroupMember,
    Meeting,
    MeetingKind,
    Minutes,
    MinutesApproval,
    MinutesStatus,
)
from meetings.selectors import meeting_requirement
from organisations.models import (
    Membership,
    MembershipRole,
    Organisation,
    OrganisationApplication,
    OrganisationStatus,
)

from .ics import meeting_ics
from .registry import Due, Message, ReminderKind, register

STOCKHOLM = ZoneInfo("Europe/Stockholm")
MEETING_DAYS_BEFORE = (7, 1)
STALE_AFTER_MONTHS = 6
CONFERENCE_WEEKS_BEFORE = 4
REVIEW_MONTHS_BEFORE = 6
MINUTES_FIRST_AFTER_DAYS = 3
MINUTES_REPEAT_DAYS = 7
ACTION_DAYS_BEFORE = 7
APPLICATION_WORKING_DAYS = 5


def local_date(moment: datetime.datetime) -> datetime.date:
    return moment.astimezone(STOCKHOLM).date()


def add_months(day: datetime.date, months: int) -> datetime.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=candidate)
        except ValueError:
            continue
    raise ValueError(day)


def _date(day: datetime.date) -> str:
    return formats.date_format(day, "j F Y")


def _staff_ids() -> list[int]:
    return list(User.objects.filter(is_staff=True, is_active=True).values_list("pk", flat=True))


def _is_group_member(user: User) -> bool:
    return is_staff(user) or GroupMember.objects.filter(user=user).exists()


def _is_owner(user: User) -> bool:
    return is_staff(user) or Commitment.objects.filter(owners=user).exists()


def _is_signatory(user: User) -> bool:
    return (
        is_staff(user)
        or Membership.objects.filter(
            user=user, role__in=[MembershipRole.ADMIN, MembershipRole.SIGNATORY]
        ).exists()
    )


# --- Upcoming meeting ------------------------------------------------------------------------


def meeting_upcoming_rule(now: datetime.datetime) -> Iterator[Due]:
    today = local_date(now)
    for days in MEETING_DAYS_BEFORE:
        day = today + datetime.timedelta(days=days)
        start = datetime.datetime.combine(day, datetime.time.min, tzinfo=STOCKHOLM)
        meetings = Meeting.objects.filter(
            starts_at__gte=start, starts_at__lt=start + datetime.timedelta(days=1)
        )
        members = GroupMember.objects.serving_on(day)
        by_group: dict[int, list[int]] = {}
        for group_id, user_id in members.values_list("group_id", "user_id"):
            by_group.setdefault(group_id, []).append(user_id)
        for meeting in meetings:
            for user_id in by_group.get(meeting.group_id, []):
                yield Due(meeting, user_id, today)


def meeting_upcoming_message(meeting: Meeting, due_on: datetime.date) -> Message:
    starts = meeting.starts_at.astimezone(STOCKHOLM)
    place = meeting.location or meeting.online_url or _("plats meddelas senare")
    return Message(
        subject=_("Påminnelse: %(meeting)s den %(date)s")
        % {"meeting": meeting, "date": _date(starts.date())},
        body=_(
            "Hej!\n\n%(meeting)s hålls den %(date)s klockan %(time)s.\nPlats: %(place)s\n\n"
            "Mötet finns som kalenderfil i det här meddelandet."
        )
        % {
            "meeting": meeting,
            "date": _date(starts.date()),
            "time": starts.strftime("%H.%M"),
            "place": place,
        },
        attachments=[("mote.ics", meeting_ics(meeting), "text/calendar")],
    )


register(
    ReminderKind(
        key="meeting_upcoming",
        label=gettext_lazy("Kommande möten i samverkansgruppen (7 dagar och 1 dag före)"),
        reason=gettext_lazy("Du är ledamot i samverkansgruppen som har mötet."),
        rule=meeting_upcoming_rule,
        message=meeting_upcoming_message,
        applies_to=_is_group_member,
    )
)


# --- Commitments without a status update for six months ---------------------------------------


def commitment_stale_rule(now: datetime.datetime) -> Iterator[Due]:
    today = local_date(now)
    limit = datetime.datetime.combine(
        add_months(today, -STALE_AFTER_MONTHS), datetime.time.max, tzinfo=STOCKHOLM
    )
    stale = Commitment.objects.filter(retired_at__isnull=True).filter(
        Q(last_update_at__lte=limit) | Q(last_update_at__isnull=True, created_at__lte=limit)
    )
    owners = Commitment.owners.through.objects.filter(commitment__in=stale).values_list(
        "commitment_id", "user_id"
    )
    by_commitment: dict[int, list[int]] = {}
    for commitment_id, user_id in owners:
        by_commitment.setdefault(commitment_id, []).append(user_id)
    for commitment in stale.filter(pk__in=list(by_commitment)):
        since = local_date(commitment.last_update_at or commitment.created_at)
        # One reminder per silent period: due the day it became six months.
        due_on = add_months(since, STALE_AFTER_MONTHS)
        for user_id in by_commitment[commitment.pk]:
            yield Due(commitment, user_id, due_on)


def commitment_stale_message(commitment: Commitment, due_on: datetime.date) -> Message:
    return Message(
        subject=_("Dags att rapportera om ett åtagande"),
        body=_(
            "Hej!\n\nÅtagandet ”%(commitment)s” har inte fått någon statusuppdatering på sex "
            "månader. Skriv gärna en kort rapport om hur arbetet går.\n%(url)s"
        )
        % {
            "commitment": commitment,
            # The commitment's page, where its owners post the update.
            "url": absolute_url("commitments:detail", commitment.pk),
        },
        attachments=[],
    )


register(
    ReminderKind(
        key="commitment_stale",
        label=gettext_lazy("Åtaganden utan statusuppdatering på sex månader"),
        reason=gettext_lazy("Du är rapportör för åtagandet."),
        rule=commitment_stale_rule,
        message=commitment_stale_message,
        applies_to=_is_owner,
    )
)


# --- Four weeks before the annual follow-up conference ---------------------------------------


def follow_up_conference_rule(now: datetime.datetime) -> Iterator[Due]:
    today = local_date(now)
    window_end = datetime.datetime.combine(
        today + datetime.timedelta(weeks=CONFERENCE_WEEKS_BEFORE),
        datetime.time.max,
        tzinfo=STOCKHOLM,
    )
    conferences = Meeting.objects.filter(
        kind=MeetingKind.FOLLOW_UP_CONFERENCE, starts_at__gte=now, starts_at__lte=window_end
    ).select_related("group")
    for conference in conferences:
        owners = (
            Commitment.owners.through.objects.filter(
                commitment__principle__agreement_id=conference.group.agreement_id,
                commitment__retired_at__isnull=True,
            )
            .values_list("user_id", flat=True)
            .distinct()
        )
        due_on = local_date(conference.starts_at) - datetime.timedelta(
            weeks=CONFERENCE_WEEKS_BEFORE
        )
        for user_id in owners:
            yield Due(conference, user_id, due_on)


def follow_up_conference_message(meeting: Meeting, due_on: datetime.date) -> Message:
    starts = meeting.starts_at.astimezone(STOCKHOLM)
    return Message(
        subject=_("Den årliga uppföljningskonferensen närmar sig"),
        body=_(
            "Hej!\n\nDen årliga uppföljningskonferensen hålls den %(date)s. Se till att dina "
            "åtaganden har en aktuell statusuppdatering före dess.\n%(url)s"
        )
        % {
            "date": _date(starts.date()),
            # "Mina åtaganden": every commitment the recipient reports on, with its last update.
            "url": absolute_url("commitments:mine"),
        },
        attachments=[("konferens.ics", meeting_ics(meeting), "text/calendar")],
    )


register(
    ReminderKind(
        key="follow_up_conference",
        label=gettext_lazy("Fyra veckor före den årliga uppföljningskonferensen"),
        reason=gettext_lazy("Du är rapportör för minst ett åtagande."),
        rule=follow_up_conference_rule,
        message=follow_up_conference_message,
        applies_to=_is_owner,
    )
)


# --- Staff: fewer than four group meetings this year ------------------------------------------


def few_meetings_rule(now: datetime.datetime) -> Iterator[Due]:
    """The one rule of `meetings.selectors.meeting_requirement`: this calendar year, every kind
    of meeting of the group, held or planned."""
    today = local_date(now)
    staff = _staff_ids()
    if not staff:
        return
    for group in CooperationGroup.objects.all():
        if not meeting_requirement(group=group, year=today.year, now=now).met:
            # At most once a month while the shortfall lasts.
            due_on = today.replace(day=1)
            for user_id in staff:
                yield Due(group, user_id, due_on)


def few_meetings_message(group: CooperationGroup, due_on: datetime.date) -> Message:
    requirement = meeting_requirement(group=group, year=due_on.year)
    return Message(
        subject=_("Färre än fyra möten planerade i samverkansgruppen"),
        body=_(
            "Hej!\n\n%(group)s har %(count)s möten hållna eller planerade under %(year)s "
            "(alla slags möten i gruppen räknas). Överenskommelsen kräver minst %(minimum)s.\n"
            "%(url)s"
        )
        % {
            "group": group,
            "count": requirement.total,
            "year": requirement.year,
            "minimum": requirement.required,
            # The group's meetings, held and planned, where new ones are scheduled.
            "url": absolute_url("meetings:meeting_list"),
        },
        attachments=[],
    )


register(
    ReminderKind(
        key="staff_few_meetings",
        label=gettext_lazy("Färre än fyra möten i samverkansgruppen under året (personal)"),
        reason=gettext_lazy("Du är personal vid kansliet och följer upp mötena."),
        rule=few_meetings_rule,
        message=few_meetings_message,
        applies_to=is_staff,
        required_for=is_staff,
    )
)


# --- Staff: the agreement's review is due within six months ------------------------------------


def review_due_rule(now: datetime.datetime) -> Iterator[Due]:
    today = local_date(now)
    versions = AgreementVersion.objects.filter(
        is_current=True,
        review_due_on__isnull=False,
        review_due_on__gte=today,
        review_due_on__lte=add_months(today, REVIEW_MONTHS_BEFORE),
    )
    staff = _staff_ids()
    for version in versions:
        due_on = add_months(version.review_due_on, -REVIEW_MONTHS_BEFORE)
        for user_id in staff:
            yield Due(version, user_id, due_on)


def review_due_message(version: AgreementVersion, due_on: datetime.date) -> Message:
    return Message(
        subject=_("Översynen av överenskommelsen närmar sig"),
        body=_(
            "Hej!\n\n%(agreement)s ska ses över senast %(date)s. Planera översynen med "
            "samverkansgruppen.\n%(url)s"
        )
        % {
            "agreement": version.agreement,
            "date": _date(version.review_due_on),
            "url": absolute_url("agreement"),
        },
        attachments=[],
    )


register(
    ReminderKind(
        key="staff_review_due",
        label=gettext_lazy("Överenskommelsens översyn inom sex månader (personal)"),
        reason=gettext_lazy("Du är personal vid kansliet och förbereder översynen."),
        rule=review_due_rule,
        message=review_due_message,
        applies_to=is_staff,
        required_for=is_staff,
    )
)


# --- Organisations that signed an earlier version --------------------------------------------


def confirm_current_version_rule(now: datetime.datetime) -> Iterator[Due]:
    for version in AgreementVersion.objects.filter(is_current=True):
        signed_current = Signature.objects.filter(
            agreement_version=version, withdrawal__isnull=True
        ).values("organisation_id")
        earlier = (
            Organisation.objects.filter(
                signatures__agreement_version__agreement_id=version.agreement_id,
                signatures__agreement_version__number__lt=version.number,
                signatures__withdrawal__isnull=True,
            )
            .exclude(pk__in=signed_current)
            .distinct()
        )
        due_on = version.effective_from or local_date(version.created_at)
        people = Membership.objects.filter(
            organisation__in=earlier,
            role__in=[MembershipRole.ADMIN, MembershipRole.SIGNATORY],
        ).select_related("organisation")
        for membership in people:
            yield Due(membership.organisation, membership.user_id, due_on)


def confirm_current_version_message(organisation: Organisation, due_on: datetime.date) -> Message:
    return Message(
        subject=_("Bekräfta den nya versionen av överenskommelsen"),
        body=_(
            "Hej!\n\n%(organisation)s har undertecknat en tidigare version av överenskommelsen. "
            "En ny version gäller sedan %(date)s. Läs den och bekräfta den i portalen.\n%(url)s"
        )
        % {
            "organisation": organisation,
            "date": _date(due_on),
            # The signing page shows the current version and "confirm the current one".
            "url": absolute_url("agreements:sign", organisation.slug),
        },
        attachments=[],
    )


register(
    ReminderKind(
        key="confirm_current_version",
        label=gettext_lazy("Bekräfta en ny version av överenskommelsen"),
        reason=gettext_lazy(
            "Du är administratör eller firmatecknare för en organisation som undertecknat "
            "en tidigare version."
        ),
        rule=confirm_current_version_rule,
        message=confirm_current_version_message,
        applies_to=_is_signatory,
    )
)


# --- Minutes awaiting approval (justering) ------------------------------------------------------


def _is_approver(user: User) -> bool:
    return (
        is_staff(user)
        or Minutes.objects.filter(Q(chair=user) | Q(checkers=user)).exists()
        or GroupMember.objects.filter(user=user).exists()
    )


def _is_checker_or_chair(user: User) -> bool:
    return Minutes.objects.filter(Q(chair=user) | Q(checkers=user)).exists()


def minutes_approval_rule(now: datetime.datetime) -> Iterator[Due]:
    """To each checker and the chair who has not approved the current revision: 3 days after it
    was sent, then every 7 days. The due date is the latest step reached, so each weekly
    reminder is its own row and a skipped scheduler run still sends the overdue one once."""
    today = local_date(now)
    waiting = Minutes.objects.filter(
        status=MinutesStatus.SENT, current_revision__isnull=False
    ).select_related("current_revision", "meeting")
    checkers = Minutes.checkers.through.objects.filter(minutes__in=waiting).values_list(
        "minutes_id", "user_id"
    )
    by_minutes: dict[int, set[int]] = {}
    for minutes_id, user_id in checkers:
        by_minutes.setdefault(minutes_id, set()).add(user_id)
    answered = set(
        MinutesApproval.objects.filter(revision__minutes__in=waiting).values_list(
            "revision_id", "user_id"
        )
    )
    for minutes in waiting:
        sent_on = local_date(minutes.current_revision.created_at)
        first = sent_on + datetime.timedelta(days=MINUTES_FIRST_AFTER_DAYS)
        if today < first:
            continue
        weeks = (today - first).days // MINUTES_REPEAT_DAYS
        due_on = first + datetime.timedelta(days=weeks * MINUTES_REPEAT_DAYS)
        approvers = set(by_minutes.get(minutes.pk, set()))
        if minutes.chair_id:
            approvers.add(minutes.chair_id)
        for user_id in sorted(approvers):
            if (minutes.current_revision_id, user_id) not in answered:
                yield Due(minutes, user_id, due_on)


def minutes_approval_message(minutes: Minutes, due_on: datetime.date) -> Message:
    sent_on = local_date(minutes.current_revision.created_at) if minutes.current_revision else None
    url = absolute_url("meetings:minutes_detail", minutes.meeting_id)
    return Message(
        subject=_("Påminnelse: protokollet väntar på din justering"),
        body=_(
            "Hej!\n\n%(minutes)s skickades för justering den %(date)s och väntar fortfarande "
            "på ditt svar. Läs protokollet och justera det eller skicka tillbaka det med en "
            "kommentar.\n%(url)s"
        )
        % {"minutes": minutes, "date": _date(sent_on or due_on), "url": url},
        attachments=[],
    )


register(
    ReminderKind(
        key="minutes_approval",
        label=gettext_lazy(
            "Protokoll som väntar på din justering (3 dagar efter utskick, sedan varje vecka)"
        ),
        reason=gettext_lazy("Du är justerare eller ordförande för protokollet."),
        rule=minutes_approval_rule,
        message=minutes_approval_message,
        applies_to=_is_approver,
        required_for=_is_checker_or_chair,
    )
)


# --- Actions due in seven days and overdue ------------------------------------------------------


def action_due_rule(now: datetime.datetime) -> Iterator[Due]:
    """To the owner 7 days before the due date, and once the day after it if still open."""
    today = local_date(now)
    soon = today + datetime.timedelta(days=ACTION_DAYS_BEFORE)
    open_actions = Action.objects.filter(
        owner__isnull=False, due_date__isnull=False, retired_at__isnull=True
    ).exclude(status__in=ACTION_CLOSED_STATUSES)
    # Due in a week: due_on is the reminder day itself.
    for action in open_actions.filter(due_date__gt=today, due_date__lte=soon):
        yield Due(
            action, action.owner_id, action.due_date - datetime.timedelta(days=ACTION_DAYS_BEFORE)
        )
    # Overdue: one reminder, due the day after the due date, whenever the scheduler sees it.
    for action in open_actions.filter(due_date__lt=today):
        yield Due(action, action.owner_id, action.due_date + datetime.timedelta(days=1))


def action_url(action: Action) -> str:
    """Where the action reminder links: the page of the action's commitment, which lists its
    actions; for an action under a principle only, the staff page of the action when its
    owner (the reminder's recipient) is staff, otherwise the principle on the public
    commitments page, which lists the principle's actions."""
    if action.commitment_id:
        return absolute_url("commitments:detail", action.commitment_id)
    if action.owner is not None and is_staff(action.owner):
        return absolute_url("commitments:action_edit", action.pk)
    return absolute_url("commitments:list") + f"#princip-{action.principle.key}"


def action_due_message(action: Action, due_on: datetime.date) -> Message:
    overdue = action.due_date is not None and due_on > action.due_date
    values = {
        "action": action,
        "date": _date(action.due_date) if action.due_date else "",
        "url": action_url(action),
    }
    if overdue:
        return Message(
            subject=_("Åtgärden är försenad"),
            body=_(
                "Hej!\n\nÅtgärden ”%(action)s” skulle vara klar senast %(date)s men är inte "
                "markerad som genomförd. Uppdatera gärna dess status eller nytt datum.\n%(url)s"
            )
            % values,
            attachments=[],
        )
    return Message(
        subject=_("Åtgärden ska vara klar om en vecka"),
        body=_(
            "Hej!\n\nÅtgärden ”%(action)s” ska vara klar senast %(date)s. Uppdatera gärna "
            "dess status i portalen.\n%(url)s"
        )
        % values,
        attachments=[],
    )


def _is_action_owner(user: User) -> bool:
    return is_staff(user) or Action.objects.filter(owner=user).exists()


register(
    ReminderKind(
        key="action_due",
        label=gettext_lazy("Åtgärder som ska vara klara om en vecka eller är försenade"),
        reason=gettext_lazy("Du är ansvarig för åtgärden."),
        rule=action_due_rule,
        message=action_due_message,
        applies_to=_is_action_owner,
    )
)


# --- Staff: organisation applications waiting more than five working days ----------------------


def add_working_days(day: datetime.date, days: int) -> datetime.date:
    """`days` working days after `day`. Working days are Monday to Friday; Swedish public
    holidays are deliberately ignored (a reminder a day early around a holiday is harmless)."""
    while days > 0:
        day += datetime.timedelta(days=1)
        if day.weekday() < 5:
            days -= 1
    return day


def application_waiting_rule(now: datetime.datetime) -> Iterator[Due]:
    """To staff, once per waiting period: due the first day the application has waited more
    than five working days since it was submitted or last handled."""
    today = local_date(now)
    staff = _staff_ids()
    if not staff:
        return
    applications = OrganisationApplication.objects.filter(
        organisation__status__in=[OrganisationStatus.APPLIED, OrganisationStatus.INFO_REQUESTED]
    ).prefetch_related("reviews")
    for application in applications:
        steps = [application.submitted_at, *(r.created_at for r in application.reviews.all())]
        since = local_date(max(steps))
        due_on = add_working_days(since, APPLICATION_WORKING_DAYS + 1)
        if today >= due_on:
            for user_id in staff:
                yield Due(application, user_id, due_on)


def application_waiting_message(
    application: OrganisationApplication, due_on: datetime.date
) -> Message:
    return Message(
        subject=_("En ansökan har väntat mer än fem arbetsdagar"),
        body=_(
            "Hej!\n\nAnsökan från %(organisation)s (%(status)s) har väntat mer än fem "
            "arbetsdagar utan handläggning.\n%(url)s"
        )
        % {
            "organisation": application.organisation,
            "status": application.organisation.get_status_display(),
            "url": absolute_url("organisations:review_detail", application.pk),
        },
        attachments=[],
    )


register(
    ReminderKind(
        key="staff_application_waiting",
        label=gettext_lazy("Ansökningar som väntat mer än fem arbetsdagar (personal)"),
        reason=gettext_lazy("Du är personal vid kansliet och handlägger ansökningar."),
        rule=application_waiting_rule,
        message=application_waiting_message,
        applies_to=is_staff,
        required_for=is_staff,
    )
)
