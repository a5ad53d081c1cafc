"""Server-rendered SVG charts: pure functions from numbers to an SVG string (marked safe
here, the one place that knows every text in it is escaped).

The same functions feed the web pages and, later, the PDF report. Every chart has a <title>
and a <desc> (referenced by aria-labelledby), role="img", and uses presentation attributes
only (no style attributes: the Content-Security-Policy forbids inline styles and WeasyPrint
reads attributes fine). Each bar carries its number in data-value so tests can compare the
drawing with the database. Pages show the same numbers as a table next to the chart.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from xml.sax.saxutils import escape, quoteattr  # nosec B406 - writes XML, never parses it

from django.utils.formats import date_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from .models import CommitmentStatus

# Colour per status: distinguishable for common colour-vision deficiencies and with at least
# 3:1 contrast against white; the legend and the table carry the same information as text.
STATUS_COLOURS = {
    CommitmentStatus.NOT_STARTED: "#6b7280",
    CommitmentStatus.IN_PROGRESS: "#1d4f91",
    CommitmentStatus.ACHIEVED: "#1f6b35",
    CommitmentStatus.ONGOING: "#4b2a74",
    CommitmentStatus.STALLED: "#a4161a",
}
FONT = "system-ui, DejaVu Sans, Arial, sans-serif"


def _attrs(**attributes: object) -> str:
    return " ".join(
        f"{name.replace('_', '-')}={quoteattr(str(value))}" for name, value in attributes.items()
    )


def _el(tag: str, text: object = None, *, inner: str = "", **attributes: object) -> str:
    """One element; `text` is escaped, `inner` is markup built here."""
    body = (escape(str(text)) if text is not None else "") + inner
    if not body:
        return f"<{tag} {_attrs(**attributes)}/>"
    return f"<{tag} {_attrs(**attributes)}>{body}</{tag}>"


def _svg(parts: list[str]) -> SafeString:
    """The finished chart, closed, safe to put in a page: every text in it went through
    `_el`'s escaping, every attribute through `quoteattr`."""
    parts.append("</g></svg>")
    return mark_safe("".join(parts))  # noqa: S308  # nosec B308 B703 - escaped above


def _scale(values: list[int]) -> tuple[int, int]:
    """The largest value (at least 1, the bars' full length) and the total."""
    return max(values, default=0) or 1, sum(values)


def _open_svg(
    chart_id: str, title: str, desc: str, *, width: int, height: int, font_size: int
) -> list[str]:
    """The chart's opening: its size, title and description, and the group its marks share."""
    svg = _attrs(
        xmlns="http://www.w3.org/2000/svg",
        id=chart_id,
        viewBox=f"0 0 {width} {height}",
        width=width,
        height=height,
        role="img",
        aria_labelledby=f"{chart_id}-title {chart_id}-desc",
    )
    return [
        f"<svg {svg}>",
        _el("title", title, id=f"{chart_id}-title"),
        _el("desc", desc, id=f"{chart_id}-desc"),
        f"<g {_attrs(font_family=FONT, font_size=font_size, fill='#1b1f23')}>",
    ]


def status_by_principle_svg(
    *,
    rows: Sequence[tuple[str, dict[str, int]]],
    chart_id: str = "chart-status",
    title: str | None = None,
) -> SafeString:
    """A horizontal stacked bar per principle: how many commitments are in each status."""
    title = title or _("Status per princip")
    statuses = list(CommitmentStatus)
    label_width, bar_width, row_height, top = 230, 420, 34, 10
    legend_height = 28 * ((len(statuses) + 2) // 3)
    height = top + row_height * max(len(rows), 1) + 30 + legend_height
    width = label_width + bar_width + 50
    largest, total = _scale([sum(counts.values()) for _label, counts in rows])
    desc = _(
        "Staplat stapeldiagram över %(total)s åtaganden fördelade på %(rows)s principer och "
        "status. Samma siffror finns i tabellen intill."
    ) % {"total": total, "rows": len(rows)}
    parts = _open_svg(chart_id, title, desc, width=width, height=height, font_size=13)
    for index, (label, counts) in enumerate(rows):
        y = top + index * row_height
        parts.append(_el("text", label, x=label_width - 8, y=y + 19, text_anchor="end"))
        x = float(label_width)
        for status in statuses:
            value = counts.get(status.value, 0)
            if not value:
                continue
            w = bar_width * value / largest
            parts.append(
                _el(
                    "rect",
                    inner=_el("title", f"{label}: {status.label} {value}"),
                    x=f"{x:.1f}",
                    y=y + 4,
                    width=f"{w:.1f}",
                    height=row_height - 10,
                    fill=STATUS_COLOURS[status],
                    data_row=label,
                    data_status=status.value,
                    data_value=value,
                )
            )
            if w >= 18:
                middle = f"{x + w / 2:.1f}"
                parts.append(
                    _el("text", value, x=middle, y=y + 19, text_anchor="middle", fill="#ffffff")
                )
            x += w
        parts.append(_el("text", sum(counts.values()), x=f"{x + 6:.1f}", y=y + 19))
    legend_top = top + row_height * max(len(rows), 1) + 20
    for index, status in enumerate(statuses):
        lx = 10 + (index % 3) * 220
        ly = legend_top + (index // 3) * 28
        parts.append(_el("rect", x=lx, y=ly, width=16, height=16, fill=STATUS_COLOURS[status]))
        parts.append(_el("text", status.label, x=lx + 22, y=ly + 13))
    return _svg(parts)


def updates_over_time_svg(
    *,
    points: Sequence[tuple[datetime.date, int]],
    chart_id: str = "chart-updates",
    title: str | None = None,
) -> SafeString:
    """A column per month: how many status updates were posted."""
    title = title or _("Statusuppdateringar per månad")
    left, bottom, top, column, gap = 40, 40, 16, 36, 10
    plot_height = 180
    width = left + max(len(points), 1) * (column + gap) + 10
    height = top + plot_height + bottom
    largest, total = _scale([value for _month, value in points])
    desc = _(
        "Stapeldiagram över %(total)s statusuppdateringar under de senaste %(months)s "
        "månaderna. Samma siffror finns i tabellen intill."
    ) % {"total": total, "months": len(points)}
    parts = _open_svg(chart_id, title, desc, width=width, height=height, font_size=12)
    baseline = top + plot_height
    parts.append(_el("line", x1=left - 4, y1=baseline, x2=width - 6, y2=baseline, stroke="#4a535c"))
    parts.append(_el("text", largest, x=left - 8, y=top + 10, text_anchor="end"))
    parts.append(_el("text", 0, x=left - 8, y=baseline, text_anchor="end"))
    for index, (month, value) in enumerate(points):
        x = left + index * (column + gap)
        middle = x + column / 2
        h = plot_height * value / largest
        parts.append(
            _el(
                "rect",
                inner=_el("title", f"{date_format(month, 'F Y')}: {value}"),
                x=x,
                y=f"{baseline - h:.1f}",
                width=column,
                height=f"{h:.1f}",
                fill="#0b4f3c",
                data_month=month.isoformat(),
                data_value=value,
            )
        )
        if value:
            label_y = f"{baseline - h - 4:.1f}"
            parts.append(_el("text", value, x=middle, y=label_y, text_anchor="middle"))
        month_label = date_format(month, "M")
        parts.append(_el("text", month_label, x=middle, y=baseline + 16, text_anchor="middle"))
        if index == 0 or month.month == 1:
            parts.append(_el("text", month.year, x=middle, y=baseline + 32, text_anchor="middle"))
    return _svg(parts)
