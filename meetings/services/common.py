"""What the minutes' services share: their errors and the guards on the minutes' state."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Minutes, MinutesStatus


class MinutesLockedError(PermissionDenied):
    """The minutes are not a draft, so their content cannot change."""


class MinutesStateError(ValidationError):
    """The step is not possible in the minutes' current state."""


def local_year(moment: datetime.datetime) -> int:
    return timezone.localtime(moment).year


def require_draft(minutes: Minutes) -> None:
    if minutes.status != MinutesStatus.DRAFT:
        raise MinutesLockedError(
            _("Protokollet är %(status)s och kan inte ändras. Starta en rättelse i stället.")
            % {"status": minutes.get_status_display().lower()}
        )


def minutes_lock(minutes: Minutes) -> Minutes:
    """Re-read the minutes with a row lock so two state changes never interleave."""
    return Minutes.objects.select_for_update().select_related("meeting").get(pk=minutes.pk)
