"""What the reminder kinds of every app share: the staff who get the staff reminders, dates
in e-mails, and months counted with `dateutil.relativedelta` in the portal's time zone."""

from __future__ import annotations

import datetime

from dateutil.relativedelta import relativedelta
from django.utils import formats, timezone

from lov_portal.accounts.models import User


def add_months(day: datetime.date, months: int) -> datetime.date:
    """`months` calendar months after `day` (before it when negative); the 31st becomes the
    last day of a shorter month."""
    return day + relativedelta(months=months)


def day_start(day: datetime.date) -> datetime.datetime:
    """The first moment of `day` in the portal's time zone."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def day_end(day: datetime.date) -> datetime.datetime:
    """The last moment of `day` in the portal's time zone."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.max))


def date_text(day: datetime.date) -> str:
    return formats.date_format(day, "j F Y")


def staff_ids() -> list[int]:
    return list(User.objects.filter(is_staff=True, is_active=True).values_list("pk", flat=True))
