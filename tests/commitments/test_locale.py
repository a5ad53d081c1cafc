from pathlib import Path

import polib

LOCALE = Path(__file__).resolve().parents[2] / "commitments" / "locale" / "en" / "LC_MESSAGES"


def test_every_commitments_message_has_an_english_translation():
    po = polib.pofile(str(LOCALE / "django.po"))
    assert po.percent_translated() == 100
    assert not [entry.msgid for entry in po if "fuzzy" in entry.flags]


def test_the_compiled_catalogue_matches_the_po_file():
    po = polib.pofile(str(LOCALE / "django.po"))
    mo = polib.mofile(str(LOCALE / "django.mo"))
    compiled = {entry.msgid: entry.msgstr or entry.msgstr_plural for entry in mo}
    for entry in po:
        assert entry.msgid in compiled, entry.msgid
