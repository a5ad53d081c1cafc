"""Rich text of agendas and minutes: sanitised with nh3 before it is stored."""

from __future__ import annotations

import re

import nh3
from django.utils.html import linebreaks

ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "b",
    "em",
    "i",
    "u",
    "ul",
    "ol",
    "li",
    "a",
    "blockquote",
    "h3",
    "h4",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"scope"}, "td": {"colspan", "rowspan"}}
_HAS_TAG = re.compile(r"<[a-zA-Z/][^>]*>")


def rich_text_clean(value: str) -> str:
    """Allow a small set of formatting tags; plain text keeps its paragraphs and line breaks."""
    value = (value or "").strip()
    if not value:
        return ""
    if not _HAS_TAG.search(value):
        value = linebreaks(value, autoescape=True)
    return nh3.clean(
        value,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    ).strip()
