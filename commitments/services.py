"""Every write to commitments goes through these functions."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Required, TypedDict, Unpack

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Model
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from agreements.models import Agreement, Principle
from lov_portal.accounts.permissions import has_perm
from lov_portal.audit.services import audit_record
from lov_portal.core.cache import public_cache_bump
from lov_portal.core.uploads import generated_name

from .models import (
    ATTACHMENT_POLICY,
    Action,
    ActionStatus,
    Commitment,
    CommitmentStatus,
    DevelopmentArea,
    StatusUpdate,
)


class StatusUpdateDetails(TypedDict, total=False):
    """What an update says, beyond its commitment, author and whether it is internal."""

    status: Required[str]
    refers_to: Required[datetime.date]
    narrative: str
    links: str
    corrects: StatusUpdate | None
    attachment: object | None


def status_update_create(
    *,
    commitment: Commitment,
    author: object,
    is_internal: bool = False,
    **details: Unpack[StatusUpdateDetails],
) -> StatusUpdate:
    """Append an update; a public one makes its status the commitment's current status.

    Updates are never changed: a correction is a new update that names the one it corrects.
    The commitment row is locked so two concurrent updates cannot leave the denormalised
    status pointing at the older one.
    """
    if not has_perm(author, "commitments.post_update", commitment):
        raise PermissionDenied(_("Du får inte rapportera om det här åtagandet."))
    if is_internal and not has_perm(author, "commitments.mark_internal", commitment):
        raise PermissionDenied(_("Bara personal kan markera en uppdatering som intern."))
    return status_update_record(
        commitment=commitment, author=author, is_internal=is_internal, **details
    )


def status_update_record(
    *,
    commitment: Commitment,
    author: object | None,
    status: str,
    refers_to: datetime.date,
    narrative: str = "",
    links: str = "",
    is_internal: bool = False,
    corrects: StatusUpdate | None = None,
    attachment: object | None = None,
) -> StatusUpdate:
    """Append an update without asking who the author is allowed to report for.

    For callers whose authority comes from elsewhere: `status_update_create` after its
    permission check, and an approved decision of the cooperation group (meetings).
    """
    if status not in CommitmentStatus.values:
        raise ValidationError({"status": _("Okänd status.")})
    if corrects is not None and corrects.commitment_id != commitment.pk:
        raise ValidationError(
            {"corrects": _("En rättelse måste gälla en uppdatering av samma åtagande.")}
        )
    with transaction.atomic():
        locked = Commitment.objects.select_for_update().get(pk=commitment.pk)
        if locked.retired_at is not None:
            raise ValidationError(_("Åtagandet är avslutat och tar inte emot uppdateringar."))
        update = StatusUpdate(
            commitment=locked,
            author=author,
            status=status,
            refers_to=refers_to,
            narrative=narrative.strip(),
            links=links.strip(),
            is_internal=is_internal,
            corrects=corrects,
        )
        if attachment is not None:
            try:
                checked = ATTACHMENT_POLICY.check(attachment)
            except ValidationError as error:
                raise ValidationError({"attachment": error.error_list}) from None
            # Stored under a name the server makes up (upload_to adds the folder).
            attachment.name = generated_name(checked.extension)
            update.attachment = attachment
        update.full_clean()
        update.save()
        if not update.is_internal:
            # The status and date the public sees come from public updates only; an internal
            # update stays in the history for staff and the group.
            Commitment.objects.filter(pk=locked.pk).update(
                status=update.status, last_update_at=update.created_at
            )
            commitment.status = update.status
            commitment.last_update_at = update.created_at
        public_cache_bump()
        audit_record(
            actor=author,
            action="commitment.status_updated",
            obj=update,
            data={
                "commitment": locked.pk,
                "status": update.status,
                "internal": update.is_internal,
                "corrects": corrects.pk if corrects is not None else None,
            },
        )
    return update


# --- Staff management of commitments, actions and development areas ------------------------


def _next_order(queryset: object) -> int:
    return (queryset.aggregate(top=Max("order"))["top"] or 0) + 1


def _append(obj: Model, siblings: object, **relations: Iterable[object]) -> Model:
    """Save a new row numbered after `siblings` (in one transaction), with its relations."""
    with transaction.atomic():
        obj.order = _next_order(siblings)
        return _save(obj, **relations)


def _check_editable(fields: dict[str, object], editable: set[str]) -> None:
    unknown = set(fields) - editable
    if unknown:
        raise ValueError(f"Not editable here: {', '.join(sorted(unknown))}")


def _save(
    obj: Model,
    *,
    fields: dict[str, object] | None = None,
    only_fields: bool = False,
    **relations: Iterable[object] | None,
) -> Model:
    """Set `fields` on `obj`, validate it, save it (only those columns if `only_fields`) and
    set each many-to-many relation that is not None. Call inside the caller's transaction."""
    for name, value in (fields or {}).items():
        setattr(obj, name, value)
    obj.full_clean()
    if only_fields:
        obj.save(update_fields=[*(fields or {})])
    else:
        obj.save()
    for name, values in relations.items():
        if values is not None:
            getattr(obj, name).set(values)
    return obj


def commitment_create(
    *,
    principle: Principle,
    text: str,
    responsible_side: str,
    responsible_units: str = "",
    participation_level: str = "",
    target_date: datetime.date | None = None,
    owners: Iterable[object] = (),
    responsible_organisations: Iterable[object] = (),
) -> Commitment:
    """Add a commitment at the end of its principle's list."""
    commitment = Commitment(
        principle=principle,
        text=text.strip(),
        responsible_side=responsible_side,
        responsible_units=responsible_units,
        participation_level=participation_level,
        target_date=target_date,
    )
    return _append(
        commitment,
        Commitment.objects.filter(principle=principle),
        owners=owners,
        responsible_organisations=responsible_organisations,
    )


COMMITMENT_EDITABLE = {
    "text",
    "responsible_side",
    "responsible_units",
    "participation_level",
    "target_date",
}


def commitment_update(
    *,
    commitment: Commitment,
    actor: object | None = None,
    changed: Iterable[str] = (),
    request: HttpRequest | None = None,
    owners: Iterable[object] | None = None,
    responsible_organisations: Iterable[object] | None = None,
    **fields: object,
) -> Commitment:
    """Change a commitment's description (and record who changed which fields, `changed`).
    Its status only ever changes through updates."""
    _check_editable(fields, COMMITMENT_EDITABLE)
    with transaction.atomic():
        _save(
            commitment,
            fields=fields,
            only_fields=True,
            owners=owners,
            responsible_organisations=responsible_organisations,
        )
        audit_record(
            actor=actor,
            action="commitment.changed",
            obj=commitment,
            data={"fields": sorted(changed)},
            request=request,
        )
    return commitment


def commitment_move(*, commitment: Commitment, up: bool) -> Commitment:
    """Swap a commitment with its neighbour in the principle's order (active ones only)."""
    with transaction.atomic():
        siblings = list(
            Commitment.objects.select_for_update()
            .filter(principle_id=commitment.principle_id, retired_at__isnull=True)
            .order_by("order", "pk")
        )
        index = next(i for i, c in enumerate(siblings) if c.pk == commitment.pk)
        other = index - 1 if up else index + 1
        if 0 <= other < len(siblings):
            siblings[index], siblings[other] = siblings[other], siblings[index]
        # Renumber 1..n so equal or missing orders from earlier edits cannot stick.
        for number, sibling in enumerate(siblings, start=1):
            sibling.order = number
        Commitment.objects.bulk_update(siblings, ["order"])
        public_cache_bump()
    commitment.refresh_from_db(fields=["order"])
    return commitment


def commitment_retire(
    *, commitment: Commitment, actor: object | None = None, request: HttpRequest | None = None
) -> Commitment:
    """Retire a commitment: it leaves the lists but keeps its page and its whole history."""
    with transaction.atomic():
        if commitment.retired_at is None:
            commitment.retired_at = timezone.now()
            Commitment.objects.filter(pk=commitment.pk).update(retired_at=commitment.retired_at)
            public_cache_bump()
        audit_record(actor=actor, action="commitment.retired", obj=commitment, request=request)
    return commitment


def action_create(
    *,
    principle: Principle,
    title: str,
    commitment: Commitment | None = None,
    description: str = "",
    owner: object | None = None,
    due_date: datetime.date | None = None,
    status: str = ActionStatus.PLANNED,
    source: str = "",
    development_areas: Iterable[DevelopmentArea] = (),
) -> Action:
    if commitment is not None and commitment.principle_id != principle.pk:
        raise ValidationError({"commitment": _("Åtagandet hör till en annan princip.")})
    action = Action(
        principle=principle,
        commitment=commitment,
        title=title.strip(),
        description=description,
        owner=owner,
        due_date=due_date,
        status=status,
        source=source,
    )
    siblings = Action.objects.filter(principle=principle)
    return _append(action, siblings, development_areas=development_areas)


ACTION_EDITABLE = {"title", "description", "owner", "due_date", "status", "source", "commitment"}


def action_update(
    *,
    action: Action,
    development_areas: Iterable[DevelopmentArea] | None = None,
    **fields: object,
) -> Action:
    _check_editable(fields, ACTION_EDITABLE)
    commitment = fields.get("commitment", action.commitment)
    if commitment is not None and commitment.principle_id != action.principle_id:
        raise ValidationError({"commitment": _("Åtagandet hör till en annan princip.")})
    with transaction.atomic():
        return _save(action, fields=fields, development_areas=development_areas)


def development_area_create(
    *,
    agreement: Agreement,
    name: str,
    description: str = "",
    identified_on: datetime.date | None = None,
    commitments: Iterable[Commitment] = (),
    actions: Iterable[Action] = (),
) -> DevelopmentArea:
    area = DevelopmentArea(
        agreement=agreement, name=name.strip(), description=description, identified_on=identified_on
    )
    siblings = DevelopmentArea.objects.filter(agreement=agreement)
    return _append(area, siblings, commitments=commitments, actions=actions)


def development_area_update(
    *,
    area: DevelopmentArea,
    commitments: Iterable[Commitment] | None = None,
    actions: Iterable[Action] | None = None,
    **fields: object,
) -> DevelopmentArea:
    _check_editable(fields, {"name", "description", "identified_on", "retired_at"})
    with transaction.atomic():
        return _save(area, fields=fields, commitments=commitments, actions=actions)


def status_updates_import(*, result: object, author: object) -> list[StatusUpdate]:
    """Save the changed rows of a validated import, all or nothing."""
    if not result.ok:
        raise ValidationError(_("Importen innehåller fel; ingenting sparades."))
    with transaction.atomic():
        updates = [
            status_update_create(
                commitment=row.commitment,
                author=author,
                status=row.status,
                refers_to=row.refers_to,
                narrative=row.narrative,
            )
            for row in result.changes
        ]
        audit_record(
            actor=author,
            action="commitment.status_imported",
            data={"count": len(updates), "updates": [u.pk for u in updates]},
        )
        return updates
