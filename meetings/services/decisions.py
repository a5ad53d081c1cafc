"""What an approved decision does outside the minutes: status updates on the commitments it
concerns, and the actions it drafted made into commitments Actions."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from commitments.models import Action, ActionStatus, Commitment, StatusUpdate
from commitments.services import action_create, status_update_record

from ..models import DecisionAction, Minutes, MinutesItem


def commitment_status_update_from_decision(
    *,
    commitment: Commitment,
    status: str,
    narrative: str,
    refers_to: datetime.date,
    author: object | None,
) -> StatusUpdate:
    """Post a status update on a commitment on the authority of an approved decision."""
    return status_update_record(
        commitment=commitment,
        status=status,
        narrative=narrative,
        refers_to=refers_to,
        author=author,
    )


def decisions_post_status_updates(*, minutes: Minutes, by: object | None) -> list[StatusUpdate]:
    """When minutes become approved, each decision linked to commitments posts one update per
    commitment. Idempotent: a decision already posted (for example before a correction) is not
    posted again for the same commitment."""
    meeting = minutes.meeting
    day = timezone.localtime(meeting.starts_at).date()
    posted: list[StatusUpdate] = []
    items = minutes.items.prefetch_related("commitments", "status_updates")
    for item in items:
        already = {update.commitment_id for update in item.status_updates.all()}
        for commitment in item.commitments.all():
            if commitment.pk in already:
                continue
            with translation.override(settings.LANGUAGE_CODE):
                # Stored data: always in the portal's own language, whoever approves.
                template = _(
                    "Beslut i samverkansgruppen %(date)s, § %(number)s %(heading)s: %(text)s"
                )
            narrative = template % {
                "date": day.isoformat(),
                "number": item.number,
                "heading": item.heading,
                "text": strip_tags(item.decision).strip(),
            }
            update = commitment_status_update_from_decision(
                commitment=commitment,
                status=item.commitment_status or commitment.status,
                narrative=narrative,
                refers_to=day,
                author=by,
            )
            item.status_updates.add(update)
            posted.append(update)
    return posted


def decision_action_source(*, item: MinutesItem, day: datetime.date) -> str:
    """The Action's `source`: how the commitments pages say where the action came from."""
    with translation.override(settings.LANGUAGE_CODE):
        # Stored data: always in the portal's own language, whoever approves.
        template = _("Beslutad av samverkansgruppen § %(number)s den %(date)s")
    return template % {"number": item.number, "date": day.isoformat()}


def decisions_create_actions(*, minutes: Minutes) -> list[Action]:
    """When minutes become approved, each action a decision drafted becomes a commitments Action
    under its commitment or principle. Idempotent: a drafted action that already has its Action
    (for example before a correction) is not created again. An action with neither a commitment
    nor a principle stays on the minutes only (the commitments app needs a principle)."""
    day = timezone.localtime(minutes.meeting.starts_at).date()
    created: list[Action] = []
    with transaction.atomic():
        drafts = (
            DecisionAction.objects.select_for_update(of=("self",))
            .filter(item__minutes=minutes, action__isnull=True)
            .select_related("item", "commitment", "principle", "owner")
            .order_by("item__number", "pk")
        )
        for draft in drafts:
            principle = draft.commitment.principle if draft.commitment else draft.principle
            if principle is None:
                continue
            action = action_create(
                principle=principle,
                commitment=draft.commitment,
                title=draft.text,
                owner=draft.owner,
                due_date=draft.due_on,
                status=ActionStatus.PLANNED,
                source=decision_action_source(item=draft.item, day=day),
            )
            draft.action = action
            draft.save(update_fields=["action"])
            created.append(action)
    return created
