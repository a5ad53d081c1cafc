"""A minimal horizontal bar chart as vector SVG, for the PDF's charts that the dashboard
does not have (signatories by municipality and legal form, actions by status). Commitments by
status use the dashboard's own chart, commitments/charts.status_by_principle_svg.
"""

from __future__ import annotations

from xml.sax.saxutils import escape  # nosec B406 - writes XML, never parses it


def bar_chart_svg(rows: list[tuple[str, int]], *, title: str, width: int = 460) -> str:
    label_width, bar_height, gap = 170, 14, 6
    top = 4
    height = top + len(rows) * (bar_height + gap) + 4
    largest = max((value for _, value in rows), default=0) or 1
    bar_room = width - label_width - 50
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}">',
        f"<title>{escape(title)}</title>",
    ]
    for index, (label, value) in enumerate(rows):
        y = top + index * (bar_height + gap)
        length = round(bar_room * value / largest)
        parts.append(
            f'<text x="{label_width - 6}" y="{y + bar_height - 3}" text-anchor="end" '
            f'font-size="9">{escape(label[:34])}</text>'
            f'<rect x="{label_width}" y="{y}" width="{length}" height="{bar_height}" '
            f'fill="#1f5f8b"/>'
            f'<text x="{label_width + length + 4}" y="{y + bar_height - 3}" '
            f'font-size="9">{value}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
