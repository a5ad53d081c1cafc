import re

import pytest
from django.core.management import call_command

from agreements.models import Agreement, AgreementVersion, Principle
from agreements.text import text_sha256
from commitments.models import Commitment
from lov_portal.core.choices import ResponsibleSide
from lov_portal.portal.lov_source import SOURCE_PATH, load_source
from meetings.models import CooperationGroup

pytestmark = pytest.mark.django_db

SOURCE = SOURCE_PATH.read_text(encoding="utf-8")


def commitments_in_source_text() -> dict[str, int]:
    """Count the '- ' items under each principle's heading straight from the raw text."""
    body = re.sub(r"\s+", " ", SOURCE)
    body = body[body.index("6. Principer och åtaganden") : body.index("7. Det fortsatta arbetet")]
    headings = [
        "Principen om självständighet och oberoende",
        "Principen om dialog",
        "Principen om kvalitet",
        "Principen om långsiktighet",
        "Principen om öppenhet och insyn",
        "Principen om mångfald",
    ]
    counts = {}
    for heading, following in zip(headings, [*headings[1:], None], strict=True):
        start = body.index(heading)
        end = body.index(following, start) if following else len(body)
        block = body[start:end]
        block = block[re.search(r"(Åtaganden|Åtgärder) - ", block).start() :]
        counts[heading] = len(re.findall(r"(?:^|\s)- ", block))
    return counts


def test_load_lov_creates_the_six_principles_in_order():
    call_command("load_lov")
    names = list(Principle.objects.order_by("order").values_list("name", flat=True))
    assert names == [
        "Självständighet och oberoende",
        "Dialog",
        "Kvalitet",
        "Långsiktighet",
        "Öppenhet och insyn",
        "Mångfald",
    ]


def test_commitment_counts_per_principle_match_the_text():
    call_command("load_lov")
    expected = commitments_in_source_text()
    assert list(expected.values()) == [5, 3, 3, 3, 4, 5]
    for principle in Principle.objects.order_by("order"):
        heading = "Principen om " + principle.name[0].lower() + principle.name[1:]
        assert principle.commitments.count() == expected[heading], principle.name


def test_commitments_are_verbatim_substrings_of_the_agreement():
    call_command("load_lov")
    flat = re.sub(r"\s+", " ", SOURCE)
    for commitment in Commitment.objects.all():
        assert commitment.text in flat
        assert not commitment.text.startswith("-")
        assert "Principen om" not in commitment.text


def test_responsible_side_follows_the_wording():
    call_command("load_lov")
    sides = dict(Commitment.objects.values_list("text", "responsible_side"))

    def side_of(start: str) -> str:
        [text] = [t for t in sides if t.startswith(start)]
        return sides[text]

    assert side_of("Landstinget ansvarar för att inom sina") == ResponsibleSide.PUBLIC
    assert side_of("De idéburna organisationerna bidrar") == ResponsibleSide.CIVIL_SOCIETY
    assert side_of("Parterna skall tillsammans") == ResponsibleSide.JOINT
    assert side_of("Öka kunskapen om varandras") == ResponsibleSide.JOINT
    assert side_of("Den idéburna sektorn ansvarar för bildandet") == ResponsibleSide.CIVIL_SOCIETY
    assert side_of("Varje nämnd/förvaltning") == ResponsibleSide.PUBLIC
    counts = {side: list(sides.values()).count(side) for side in ResponsibleSide.values}
    assert counts == {"public": 13, "civil_society": 4, "joint": 6}


def test_units_are_recorded_for_committee_commitments():
    call_command("load_lov")
    units = set(Commitment.objects.exclude(responsible_units="").values_list("responsible_units", flat=True))
    assert units == {
        "Varje nämnd/förvaltning inom landstinget",
        "Respektive nämnd inom Landstinget Västernorrland",
    }


def test_principles_have_national_text_and_regional_reading():
    call_command("load_lov")
    for principle in Principle.objects.all():
        assert len(principle.national_text) > 200
        assert principle.regional_text.startswith("För ")
        assert "Västernorrland" in principle.regional_text
        assert "Åtaganden" not in principle.regional_text
        assert principle.name_en


def test_version_one_holds_the_full_text_and_its_hash():
    call_command("load_lov")
    version = AgreementVersion.objects.get()
    assert version.number == 1 and version.is_current
    assert "7.1 Samverkansgruppens uppdrag och ansvar" in version.text
    assert version.text_sha256 == text_sha256(version.text)
    assert len(version.text_sha256) == 64


def test_cooperation_group_mandate_is_loaded():
    call_command("load_lov")
    group = CooperationGroup.objects.get()
    assert group.mandate == [
        "gemensamt identifiera olika utvecklingsområden inom ramen för överenskommelsen",
        "följa upp åtagandena i överenskommelsen genom en årlig uppföljningskonferens",
        "besluta om översyn av överenskommelsen, minst vart femte år",
        "sammanträda minst 4 ggr/år",
        "göra överenskommelsen känd regionalt och lokalt",
    ]


def snapshot() -> dict[str, list]:
    return {
        "agreements": list(Agreement.objects.values().order_by("pk")),
        "versions": list(AgreementVersion.objects.values().order_by("pk")),
        "principles": list(Principle.objects.values().order_by("pk")),
        "commitments": list(Commitment.objects.values().order_by("pk")),
        "groups": list(CooperationGroup.objects.values().order_by("pk")),
    }


def test_load_lov_twice_leaves_the_same_rows(capsys):
    call_command("load_lov")
    first = snapshot()
    call_command("load_lov")
    assert snapshot() == first
    assert "nothing changed" in capsys.readouterr().out


def test_load_lov_keeps_staff_edits():
    call_command("load_lov")
    commitment = Commitment.objects.get(source_key="v1:2.1")
    commitment.order = 9
    commitment.save()
    call_command("load_lov")
    assert Commitment.objects.get(source_key="v1:2.1").order == 9
    assert Commitment.objects.count() == 23


def test_repository_copy_matches_the_shared_seed():
    shared = SOURCE_PATH.parents[3].parent / "shared" / "seeds" / "lov-agreement-text.txt"
    if not shared.exists():
        pytest.skip("../shared is not next to this checkout")
    assert shared.read_text(encoding="utf-8") == SOURCE


def test_parser_is_pure():
    parsed = load_source()
    assert [len(p.commitments) for p in parsed.principles] == [5, 3, 3, 3, 4, 5]
