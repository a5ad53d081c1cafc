"""Every write to commitments goes through these functions."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .models import Commitment, CommitmentStatus, StatusUpdate


def status_update_create(
    *,
    commitment: Commitment,
    author: object,
    status: str,
    refers_to: datetime.date,
    narrative: str = "",
    links: str = "",
    is_internal: bool = False,
    corrects: StatusUpdate | None = None,
) -> StatusUpdate:
    """Append an update and make its status the commitment's current status.

    Updates are never changed: a correction is a new update that names the one it corrects.
    The commitment row is locked so two concurrent updates cannot leave the denormalised
    status pointing at the older one.
    """
    if not author.has_perm("commitments.post_update", commitment):
        raise PermissionDenied(_("Du får inte rapportera om det här åtagandet."))
    if is_internal and not author.has_perm("commitments.mark_internal", commitment):
        raise PermissionDenied(_("Bara personal kan markera en uppdatering som intern."))
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
        update.full_clean()
        update.save()
        Commitment.objects.filter(pk=locked.pk).update(
            status=update.status, last_update_at=update.created_at
        )
    commitment.status = update.status
    commitment.last_update_at = update.created_at
    return update
