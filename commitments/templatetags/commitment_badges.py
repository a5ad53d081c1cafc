"""`{% status_badge record %}` and `{% side_badge record %}`: a commitment's (or an update's)
status, and a commitment's responsible side, as the badges every commitments page shows.

Tags rather than included templates: the public commitments page shows a badge for every
commitment and every update in their histories, and an include costs about ten times a tag.
"""

from __future__ import annotations

from django import template
from django.utils.html import format_html

register = template.Library()


def _badge(css_class: str, value: str, label: str) -> str:
    return format_html('<span class="{} {}--{}">{}</span>', css_class, css_class, value, label)


@register.simple_tag
def status_badge(record: object) -> str:
    """A Commitment's or a StatusUpdate's status."""
    return _badge("status-badge", record.status, record.get_status_display())


@register.simple_tag
def side_badge(record: object) -> str:
    """A commitment's responsible side."""
    return _badge("badge", record.responsible_side, record.get_responsible_side_display())
