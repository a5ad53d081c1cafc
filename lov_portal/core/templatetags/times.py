"""`{% time value %}`: one way to write a date or a moment as an HTML <time> element.

    {% time update.created_at %}
        → <time datetime="2026-05-04T09:30:00+0200">4 maj 2026</time>
    {% time version.adopted_on %}
        → <time datetime="2026-05-04">4 maj 2026</time>
    {% time review.created_at "j F Y H:i" %}
        → <time datetime="2026-05-04T09:30:00+0200">4 maj 2026 09:30</time>

The machine-readable attribute is `Y-m-d\\TH:i:sO` for a moment (in the current time zone, as
the `date` filter shows it) and `Y-m-d` for a date; the text is Django's date format `format`
("j F Y" unless given), in the active language. Written out in Python because the public
commitments page shows a few hundred of these: the same output as the `date` filter twice
(tests/core/test_times.py compares them), at a fraction of its cost.
"""

from __future__ import annotations

import datetime

from django import template
from django.utils import dateformat, timezone
from django.utils.dates import MONTHS
from django.utils.html import format_html

register = template.Library()

DAY_MONTH_YEAR = "j F Y"
WITH_TIME = "j F Y H:i"


def _text(value: datetime.date, fmt: str) -> str:
    if fmt == DAY_MONTH_YEAR:
        return f"{value.day} {MONTHS[value.month]} {value.year:04d}"
    if fmt == WITH_TIME and isinstance(value, datetime.datetime):
        return f"{value.day} {MONTHS[value.month]} {value.year:04d} {value:%H:%M}"
    return dateformat.format(value, fmt)


def _offset(value: datetime.datetime) -> str:
    """As the date format's "O" ("+0200"), also in the autumn's repeated hour, where "O" is
    empty: the moment's own offset is known."""
    seconds = int(value.utcoffset().total_seconds())
    sign = "-" if seconds < 0 else "+"
    seconds = abs(seconds)
    return f"{sign}{seconds // 3600:02d}{(seconds // 60) % 60:02d}"


@register.simple_tag(name="time")
def time_element(value: datetime.date | None, fmt: str = DAY_MONTH_YEAR) -> str:
    """The <time> element for `value`; nothing for None or an empty value."""
    if not value:
        return ""
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
            offset = _offset(value)
        else:
            offset = dateformat.format(value, "O")  # the default time zone's, as the filter
        machine = (
            f"{value.year:04d}-{value.month:02d}-{value.day:02d}"
            f"T{value.hour:02d}:{value.minute:02d}:{value.second:02d}{offset}"
        )
    else:
        machine = value.isoformat()
    return format_html('<time datetime="{}">{}</time>', machine, _text(value, fmt))
