"""Commitments with their current status as CSV, and status updates read back from it.

One format both ways, so staff can export, edit in a spreadsheet and import: a column per
field, one row per active commitment. Two dialects: plain CSV (UTF-8, comma) and
Excel-compatible CSV (UTF-8 with BOM, semicolon: what Swedish Excel opens correctly).
Importing reads either. Rows whose status, date and narrative equal the commitment's latest
update are left alone; every other row becomes a new status update.
"""

from __future__ import annotations

import csv
import datetime
import io
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.utils import translation
from django.utils.translation import gettext as _

from agreements.models import Agreement
from lov_portal.core import csv as portal_csv
from lov_portal.core.http import positive_int
from lov_portal.core.text import single_line, validate_multi_line

from .models import Commitment, CommitmentStatus, StatusUpdate

HEADER = [
    "id",
    "nummer",
    "princip",
    "åtagande",
    "ansvarig_part",
    "status",
    "avser_datum",
    "beskrivning",
    "senast_uppdaterad",
]
MAX_NARRATIVE = 2000


def _commitments(agreement: Agreement) -> list[Commitment]:
    latest = StatusUpdate.objects.order_by("-created_at", "-pk")
    return list(
        Commitment.objects.filter(principle__agreement=agreement, retired_at__isnull=True)
        .select_related("principle")
        .prefetch_related(Prefetch("updates", queryset=latest, to_attr="history"))
        .order_by("principle__order", "order", "pk")
    )


def export_rows(*, agreement: Agreement) -> list[list[str]]:
    """The header and one row per active commitment, always in Swedish."""
    rows = [HEADER]
    with translation.override("sv"):
        for commitment in _commitments(agreement):
            latest = commitment.history[0] if commitment.history else None
            rows.append(
                [
                    str(commitment.pk),
                    f"{commitment.principle.order}.{commitment.order}",
                    commitment.principle.name,
                    commitment.text,
                    str(commitment.get_responsible_side_display()),
                    str(commitment.get_status_display()),
                    latest.refers_to.isoformat() if latest else "",
                    latest.narrative if latest else "",
                    commitment.last_update_at.date().isoformat()
                    if commitment.last_update_at
                    else "",
                ]
            )
    return rows


def export_csv(*, agreement: Agreement, excel: bool = False) -> str:
    return portal_csv.to_text(export_rows(agreement=agreement), excel=excel)


@dataclass
class ImportRow:
    line: int
    commitment: Commitment
    status: str
    refers_to: datetime.date | None
    narrative: str
    changed: bool


@dataclass
class ImportError_:
    line: int
    message: str


@dataclass
class ImportResult:
    rows: list[ImportRow]
    errors: list[ImportError_]

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def changes(self) -> list[ImportRow]:
        return [row for row in self.rows if row.changed]


def _status_lookup() -> dict[str, str]:
    lookup = {}
    for value, label in CommitmentStatus.choices:
        lookup[value] = value
        with translation.override("sv"):
            lookup[str(label).casefold()] = value
        with translation.override("en"):
            lookup[str(CommitmentStatus(value).label).casefold()] = value
    return lookup


def decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Older Excel saves Windows-1252 when asked for plain "CSV".
        return data.decode("cp1252")


def unescape_cell(value: str) -> str:
    """A cell the export neutralised (`'=...`) comes back as it was written."""
    if value.startswith("'") and portal_csv.formula_cell(value[1:]):
        return value[1:]
    return value


def _cell_problem(value: str) -> str | None:
    """Formula cells and control characters are refused, with the column's name."""
    if portal_csv.formula_cell(value):
        return _(
            "kolumnen ”%(column)s” börjar med ett tecken som kalkylprogram läser som en formel "
            "(=, +, -, @): skriv en apostrof (') först"
        )
    try:
        validate_multi_line(value)
    except ValidationError:
        return _("kolumnen ”%(column)s” innehåller otillåtna styrtecken (till exempel NUL)")
    return None


def parse_import(*, agreement: Agreement, text: str) -> ImportResult:
    """Validate every row; report each problem with its line number in the file."""
    errors: list[ImportError_] = []
    rows: list[ImportRow] = []
    first_line = text.lstrip("\ufeff").split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        return ImportResult([], [ImportError_(1, _("Filen är tom."))])
    header = [name.strip().lower() for name in header]
    missing = [
        name for name in ("id", "status", "avser_datum", "beskrivning") if name not in header
    ]
    if missing:
        return ImportResult(
            [],
            [
                ImportError_(
                    1,
                    _("Rubrikraden saknar kolumnerna: %(names)s.") % {"names": ", ".join(missing)},
                )
            ],
        )
    index = {name: header.index(name) for name in header}
    commitments = {c.pk: c for c in _commitments(agreement)}
    statuses = _status_lookup()
    seen: dict[int, int] = {}
    try:
        ended = reader.line_num
        for record in reader:
            # A record may span lines (a narrative with line breaks): report where it starts.
            line, ended = ended + 1, reader.line_num
            if not any(cell.strip() for cell in record):
                continue
            record = record + [""] * (len(header) - len(record))

            def cell(name: str, record: list[str] = record) -> str:
                return record[index[name]].strip()

            problems = []
            commitment = None
            raw_id = cell("id")
            commitment_id = positive_int(raw_id)
            if commitment_id is None or commitment_id not in commitments:
                problems.append(
                    _("okänt eller avslutat åtagande (id ”%(id)s”)") % {"id": single_line(raw_id)}
                )
            elif commitment_id in seen:
                problems.append(
                    _("åtagandet finns redan på rad %(line)s") % {"line": seen[commitment_id]}
                )
            else:
                commitment = commitments[commitment_id]
                seen[commitment_id] = line
            for name in header:
                problem = _cell_problem(cell(name))
                if problem:
                    problems.append(problem % {"column": name})
            status = statuses.get(cell("status").casefold())
            if status is None:
                problems.append(
                    _("okänd status ”%(status)s”") % {"status": single_line(cell("status"))}
                )
            narrative = unescape_cell(cell("beskrivning"))
            refers_to = None
            untouched = (
                commitment is not None
                and not commitment.history
                and status == commitment.status
                and not narrative
            )
            if cell("avser_datum") or not untouched:
                try:
                    refers_to = datetime.date.fromisoformat(cell("avser_datum"))
                except ValueError:
                    problems.append(
                        _("datumet ”%(date)s” ska skrivas ÅÅÅÅ-MM-DD")
                        % {"date": single_line(cell("avser_datum"))[:40]}
                    )
            if len(narrative) > MAX_NARRATIVE:
                problems.append(
                    _("beskrivningen är längre än %(max)s tecken") % {"max": MAX_NARRATIVE}
                )
            if problems:
                errors.append(ImportError_(line, "; ".join(problems)))
                continue
            latest = commitment.history[0] if commitment.history else None
            changed = refers_to is not None and (
                latest is None
                or (latest.status, latest.refers_to, latest.narrative)
                != (status, refers_to, narrative)
            )
            rows.append(ImportRow(line, commitment, status, refers_to, narrative, changed))
    except csv.Error as error:
        errors.append(ImportError_(reader.line_num, _("Filen går inte att läsa: %s") % error))
    return ImportResult(rows, errors)
