"""Reads Länsöverenskommelsen Västernorrland from its saved text.

The text was saved from a slide viewer: each page is one line that starts with the page's
number and a "N S ida" header. We strip the headers, join the pages, and then cut the
agreement into its parts by the headings it uses.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from pathlib import Path

from lov_portal.core.choices import ResponsibleSide

SOURCE_PATH = Path(__file__).resolve().parent / "fixtures" / "lov-agreement-text.txt"

# (key, Swedish heading as in the text, English name)
PRINCIPLES: list[tuple[str, str, str]] = [
    ("independence", "Principen om självständighet och oberoende", "Independence and autonomy"),
    ("dialogue", "Principen om dialog", "Dialogue"),
    ("quality", "Principen om kvalitet", "Quality"),
    ("long-term", "Principen om långsiktighet", "Long-term perspective"),
    ("openness", "Principen om öppenhet och insyn", "Openness and transparency"),
    ("diversity", "Principen om mångfald", "Diversity"),
]

# The county's seven municipalities (official codes) and their provinces.
COUNTY = "Västernorrlands län"
MUNICIPALITIES: list[tuple[str, str, str]] = [
    ("2260", "Ånge", "Medelpad"),
    ("2262", "Timrå", "Medelpad"),
    ("2280", "Härnösand", "Ångermanland"),
    ("2281", "Sundsvall", "Medelpad"),
    ("2282", "Kramfors", "Ångermanland"),
    ("2283", "Sollefteå", "Ångermanland"),
    ("2284", "Örnsköldsvik", "Ångermanland"),
]

# Each principle's regional reading begins with one of these phrases.
_REGIONAL_MARKERS = re.compile(
    r"(För oss i Västernorrland|För arbetet i Västernorrland|För Västernorrlands del)"
)
_COMMITMENTS_HEADING = re.compile(r"\s(Åtaganden|Åtgärder)\s+-\s")
_PAGE_HEADER = re.compile(r"^\d+\s+(?:\d+\s+S\s?ida\s+)?")


@dataclass
class ParsedCommitment:
    order: int
    text: str
    side: str
    units: str = ""


@dataclass
class ParsedPrinciple:
    order: int
    key: str
    name: str
    name_en: str
    national_text: str
    regional_text: str
    commitments: list[ParsedCommitment] = field(default_factory=list)


@dataclass
class ParsedAgreement:
    title: str
    full_text: str
    principles: list[ParsedPrinciple]
    group_mandate: list[str]


def _pages(raw: str) -> list[str]:
    pages = []
    for line in raw.splitlines():
        line = line.strip()
        if line:
            pages.append(_PAGE_HEADER.sub("", line, count=1))
    return pages


def responsible_side(text: str) -> tuple[str, str]:
    """Who carries a commitment, read from its wording, and the units it names.

    The agreement names the carrier at the start: the county council ("Landstinget ...",
    "Varje nämnd ..."), the civil-society organisations ("De idéburna organisationerna ...",
    "Den idéburna sektorn ansvarar ..."), or both ("Parterna ..."). Commitments phrased as
    something done *for* the civil-society party ("Den idéburna sektorn ges ...", "... bör
    respekteras", procurement and the council's policies) are the public party's, since only
    the council can give them. Imperatives without a subject ("Öka kunskapen ...", "Hitta
    formerna ...") address both parties.
    """
    units = ""
    unit_match = re.match(
        r"^((?:Varje|Respektive) nämnd(?:/förvaltning)? inom "
        r"(?:[Ll]andstinget(?: Västernorrland)?))",
        text,
    )
    if unit_match:
        units = unit_match.group(1)
    if re.match(r"^(De idéburna organisationerna|Den idéburna sektorn ansvarar)", text):
        return ResponsibleSide.CIVIL_SOCIETY, units
    if re.match(r"^Parterna", text):
        return ResponsibleSide.JOINT, units
    if re.match(
        r"^(Landsting|Varje nämnd|Respektive nämnd|Översyn av landstingets|Upphandlingsförfarandet"
        r"|Den idéburna sektorn (ges|bör respekteras)|Ge möjlighet för organisationerna)",
        text,
    ):
        return ResponsibleSide.PUBLIC, units
    return ResponsibleSide.JOINT, units


def parse(raw: str) -> ParsedAgreement:
    pages = _pages(raw)
    title = pages[0]
    body = " ".join(pages[1:])
    body = re.sub(r"\s+", " ", body)

    section6 = body.index("6. Principer och åtaganden")
    section7 = body.index("7. Det fortsatta arbetet")
    principles_part = body[section6:section7]

    starts = []
    position = 0
    for _key, heading, _en in PRINCIPLES:
        index = principles_part.index(heading, position)
        starts.append(index)
        position = index + len(heading)
    starts.append(len(principles_part))

    principles = []
    for order, ((key, heading, name_en), start, end) in enumerate(
        zip(PRINCIPLES, starts, starts[1:], strict=False), start=1
    ):
        block = principles_part[start + len(heading) : end].strip()
        # A numbered heading ("6.5.") of the next principle may trail the block.
        block = re.sub(r"\s*\d+\.\d+\.?$", "", block)
        heading_match = _COMMITMENTS_HEADING.search(" " + block)
        if not heading_match:
            raise ValueError(f"No commitments found under {heading!r}")
        prose = (" " + block)[: heading_match.start()].strip()
        items_text = (" " + block)[heading_match.end() :].strip()
        regional = _REGIONAL_MARKERS.search(prose)
        if not regional:
            raise ValueError(f"No regional reading found under {heading!r}")
        national_text = prose[: regional.start()].strip()
        regional_text = prose[regional.start() :].strip()
        commitments = []
        for item_order, item in enumerate(re.split(r"\s+-\s+", items_text), start=1):
            text = item.strip()
            side, units = responsible_side(text)
            commitments.append(
                ParsedCommitment(order=item_order, text=text, side=side, units=units)
            )
        principles.append(
            ParsedPrinciple(
                order=order,
                key=key,
                name=heading.replace("Principen om ", "").capitalize(),
                name_en=name_en,
                national_text=national_text,
                regional_text=regional_text,
                commitments=commitments,
            )
        )

    mandate_start = body.index("Samverkansgruppens uppdrag är att:") + len(
        "Samverkansgruppens uppdrag är att:"
    )
    mandate_end = body.index("7.2 Processtöd")
    mandate_text = body[mandate_start:mandate_end].strip()
    mandate = _split_mandate(mandate_text)

    return ParsedAgreement(
        title=title.lstrip("0123456789 ").strip(),
        full_text=agreement_text(pages),
        principles=principles,
        group_mandate=mandate,
    )


def _split_mandate(text: str) -> list[str]:
    # The items were a bulleted list; each begins with a lower-case verb.
    verbs = [
        "gemensamt identifiera",
        "följa upp",
        "besluta om",
        "sammanträda",
        "göra överenskommelsen",
    ]
    positions = sorted(text.index(verb) for verb in verbs)
    positions.append(len(text))
    return [text[a:b].strip() for a, b in itertools.pairwise(positions)]


def is_table_of_contents(page: str) -> bool:
    """The saved web page kept the document's table of contents ("Innehåll Innehåll Inledning
    Syfte ... 8 Bilaga 1 ..."): headings and page numbers, not agreement text."""
    return page.strip().startswith("Innehåll")


def agreement_text(pages: list[str]) -> str:
    """The agreement's full text as stored in version 1: the pages, one paragraph each, without
    the leftover table of contents (docs/decisions.md)."""
    return "\n\n".join(page.strip() for page in pages if not is_table_of_contents(page))


def load_source(path: Path | None = None) -> ParsedAgreement:
    return parse((path or SOURCE_PATH).read_text(encoding="utf-8"))


# --- The dialogue meeting of 26 March 2014 ----------------------------------------------------

DIALOGUE_2014_PATH = SOURCE_PATH.parent / "dialogue-meeting-2014-03-26.txt"
DIALOGUE_2014_SOURCE = "Dialogmötet den 26 mars 2014"
_BULLET = "•"


def _cut_bullet(text: str) -> str:
    """A bullet's own words. The slide text runs on into the next box without punctuation,
    so a bullet ends at a full stop or where a capitalised word follows a lower-case one."""
    text = re.sub(r"\s+", " ", text).strip()
    stop = re.search(r"\.(?=\s+[A-ZÅÄÖ])|(?<=[a-zåäö])\s+(?=[A-ZÅÄÖ][a-zåäö]+\b)", text)
    if stop:
        text = text[: stop.start() + (1 if text[stop.start()] == "." else 0)]
    return text.strip()


def parse_dialogue_actions(raw: str) -> dict[str, list[str]]:
    """The "three actions" (TRE ÅTGÄRDER) per principle, keyed by principle key.

    Each principle has a page (a line starting with its number and "Principen om ...") whose
    bullet points, just before "TRE ÅTGÄRDER:", are the actions. On the dialogue page one
    bullet mark was lost in the saved text; there the sentence right before the first bullet
    is that action, so every principle gets the three actions the meeting proposed.
    """
    actions: dict[str, list[str]] = {}
    for page in re.split(r"\n(?=\d+ )", raw):
        first_line = re.sub(r"^\d+ ", "", page.strip().splitlines()[0]) if page.strip() else ""
        matches = [key for key, heading, _en in PRINCIPLES if first_line.startswith(heading)]
        if not matches or "TRE ÅTGÄRDER:" not in page:
            continue
        key = matches[0]
        flat = re.sub(r"\s+", " ", page)
        before = flat[: flat.index("TRE ÅTGÄRDER:")]
        # The answers to "why" may be bullets too; the actions follow the last question.
        questions_end = before.rfind("VILKA SKA GENOMFÖRA?")
        if questions_end >= 0:
            before = before[questions_end + len("VILKA SKA GENOMFÖRA?") :]
        lead, *bullets = before.split(_BULLET)
        items = [_cut_bullet(bullet) for bullet in bullets if bullet.strip()]
        if len(items) < 3:
            sentences = re.findall(r"[^.]+\.", lead)
            if sentences:
                items.insert(0, sentences[-1].strip())
        actions[key] = items
    return actions


def load_dialogue_actions(path: Path | None = None) -> dict[str, list[str]]:
    return parse_dialogue_actions((path or DIALOGUE_2014_PATH).read_text(encoding="utf-8"))
