"""`shortened`: whole words, and an ellipsis when something was cut."""

from __future__ import annotations

import pytest

from commitments.models import Action, Commitment
from lov_portal.core.text import shortened

LONG = (
    "Region Västernorrland ska verka för att det idéburna perspektivet ska bli uppmärksammat "
    "i regionens arbete"
)


@pytest.mark.parametrize(
    ("value", "limit", "expected"),
    [
        ("Kort text", 80, "Kort text"),
        ("  Mellanslag \n och radbyte  ", 80, "Mellanslag och radbyte"),
        ("exakt tio!", 10, "exakt tio!"),
        ("ett två tre fyra", 10, "ett två…"),
        ("ett två, tre fyra", 9, "ett två…"),
        ("ordutanmellanslagsomärlångt", 10, "ordutanme…"),
        ("ett tvåå", 8, "ett tvåå"),
        ("ett tvååå tre", 9, "ett…"),
    ],
)
def test_shortened(value, limit, expected):
    result = shortened(value, limit)
    assert result == expected
    assert len(result) <= limit


def test_a_commitment_and_an_action_are_named_by_whole_words():
    name = str(Commitment(text=LONG))
    assert name.endswith("…") and len(name) <= 80
    assert LONG.startswith(name[:-1])
    assert LONG[len(name) - 1] == " "  # cut between words, not inside one
    assert str(Action(title="Kort åtgärd")) == "Kort åtgärd"
