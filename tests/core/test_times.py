"""`{% time %}` writes the same <time> element the templates wrote with the `date` filter."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
from django.template import Context, Template
from django.utils import timezone, translation

OLD_MOMENT = "<time datetime=\"{{ v|date:'Y-m-d\\TH:i:sO' }}\">{{ v|date:FMT }}</time>"
OLD_DATE = "<time datetime=\"{{ v|date:'Y-m-d' }}\">{{ v|date:FMT }}</time>"
STOCKHOLM = zoneinfo.ZoneInfo("Europe/Stockholm")

MOMENTS = [
    datetime.datetime(2026, 1, 1, 0, 5, tzinfo=datetime.UTC),
    datetime.datetime(2025, 12, 31, 23, 30, tzinfo=datetime.UTC),  # new year's day in Stockholm
    datetime.datetime(2026, 3, 29, 0, 59, tzinfo=datetime.UTC),  # just before summer time
    datetime.datetime(2026, 3, 29, 1, 0, tzinfo=datetime.UTC),  # summer time
    datetime.datetime(2026, 5, 4, 9, 7, 3, 123456, tzinfo=STOCKHOLM),
    datetime.datetime(999, 7, 9, 12, 0, tzinfo=datetime.UTC),  # a year of three digits
]
DATES = [datetime.date(2026, m, d) for m, d in ((1, 1), (5, 4), (12, 31))] + [
    datetime.date(999, 2, 3)
]
FORMATS = ["j F Y", "j F Y H:i", "Y-m-d"]


def _render(source: str, **context: object) -> str:
    return Template(source).render(Context(context))


@pytest.mark.parametrize("language", ["sv", "en"])
@pytest.mark.parametrize("fmt", FORMATS)
def test_a_moment_is_written_as_the_date_filter_wrote_it(language, fmt):
    with translation.override(language), timezone.override("Europe/Stockholm"):
        for value in MOMENTS:
            old = _render(OLD_MOMENT, v=value, FMT=fmt)
            tag = "{% time v %}" if fmt == "j F Y" else "{% time v FMT %}"
            assert _render(tag, v=value, FMT=fmt) == old, value


@pytest.mark.parametrize("language", ["sv", "en"])
def test_a_date_is_written_as_the_date_filter_wrote_it(language):
    with translation.override(language):
        for value in DATES:
            for fmt in ("j F Y", "Y-m-d"):
                assert _render("{% time v FMT %}", v=value, FMT=fmt) == _render(
                    OLD_DATE, v=value, FMT=fmt
                ), value


def test_in_the_hour_that_comes_twice_the_tag_still_writes_the_offset():
    """The filter leaves the offset out in the autumn's repeated hour (Django's "O" is empty
    for an ambiguous local time); the tag writes the offset the moment really had."""
    first = datetime.datetime(2026, 10, 25, 0, 30, tzinfo=datetime.UTC)
    second = datetime.datetime(2026, 10, 25, 1, 30, tzinfo=datetime.UTC)
    with timezone.override("Europe/Stockholm"):
        assert 'datetime="2026-10-25T02:30:00+0200"' in _render("{% time v %}", v=first)
        assert 'datetime="2026-10-25T02:30:00+0100"' in _render("{% time v %}", v=second)


def test_a_naive_moment_is_read_in_the_default_time_zone_as_the_filter_reads_it():
    value = datetime.datetime(2026, 7, 1, 12, 0)
    assert _render("{% time v %}", v=value) == _render(OLD_MOMENT, v=value, FMT="j F Y")


def test_nothing_is_written_for_no_value():
    assert _render("{% time v %}", v=None) == ""
    assert _render("{% time missing %}") == ""


def test_the_text_is_escaped():
    # Formats come from templates, not visitors; still, nothing they produce is trusted.
    assert "<b>" not in _render('{% time v "\\<\\b\\>" %}', v=datetime.date(2026, 1, 1))


def test_the_templates_write_every_time_element_with_the_tag():
    """One way to write a <time>: by hand only where the element holds more than the date."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    by_hand = []
    for path in root.glob("**/templates/**/*.html"):
        if ".venv" in path.parts:
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            if "<time datetime=" in line and "}}</time>" in line.replace("}} </time>", "}}</time>"):
                start = line.index("<time datetime=")
                inner = line[start : line.index("</time>", start)]
                if inner.count("{{") == 2:  # the attribute and the date: the tag's job
                    by_hand.append(f"{path.relative_to(root)}: {line.strip()[:120]}")
    assert not by_hand, by_hand
