"""Reminder kinds about commitments and actions: stale commitments and actions due."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from commitments.models import ACTION_CLOSED_STATUSES, Action, Commitment
from lov_portal.accounts.models import User
from lov_portal.accounts.permissions import is_staff
from lov_portal.core.http import absolute_url

from ..registry import Due, Message
from .base import add_months, day_end

STALE_AFTER_MONTHS = 6
ACTION_DAYS_BEFORE = 7


def is_owner(user: User) -> bool:
    return is_staff(user) or Commitment.objects.filter(owners=user).exists()


def is_action_owner(user: User) -> bool:
    return is_staff(user) or Action.objects.filter(owner=user).exists()


# --- Commitments without a status update for six months ---------------------------------------


def commitment_stale_rule(now: datetime.datetime) -> Iterator[Due]:
    today = timezone.localdate(now)
    limit = day_end(add_months(today, -STALE_AFTER_MONTHS))
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
        since = timezone.localdate(commitment.last_update_at or commitment.created_at)
        # One reminder per silent period: due the day it became six months.
        due_on = add_months(since, STALE_AFTER_MONTHS)
        for user_id in by_commitment[commitment.pk]:
            yield Due(commitment, user_id, due_on)


def commitment_stale_message(commitment: Commitment, due_on: datetime.date) -> Message:
    return Message(
        _("Dags att rapportera om ett åtagande"),
        {
            "commitment": commitment,
            # The commitment's page, where its owners post the update.
            "url": absolute_url("commitments:detail", commitment.pk),
        },
    )


# --- Actions due in seven days and overdue ------------------------------------------------------


def action_due_rule(now: datetime.datetime) -> Iterator[Due]:
    """To the owner 7 days before the due date, and once the day after it if still open."""
    today = timezone.localdate(now)
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
    return Message(
        _("Åtgärden är försenad") if overdue else _("Åtgärden ska vara klar om en vecka"),
        {"action": action, "overdue": overdue, "url": action_url(action)},
    )
