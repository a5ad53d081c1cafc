"""The English translation is complete and compiled.

Every message in the code and templates is in a .po file, every entry has an English
translation (none empty, none fuzzy), and every .mo file matches its .po.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = ["organisations", "agreements", "commitments", "meetings"]
IGNORED = {".venv", "var", ".git", "node_modules", "artifacts", ".pytest_cache", ".ruff_cache"}


def po_files() -> list[Path]:
    return sorted(
        path
        for path in ROOT.rglob("locale/en/LC_MESSAGES/django.po")
        if not IGNORED & set(path.relative_to(ROOT).parts)
    )


def test_there_is_an_english_catalogue_for_the_site_and_every_app():
    found = {str(path.parents[3].relative_to(ROOT)) for path in po_files()}
    assert {".", *APPS} <= found


@pytest.mark.parametrize("po_path", po_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_every_message_is_translated(po_path):
    catalogue = polib.pofile(str(po_path))
    untranslated = [entry.msgid for entry in catalogue.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
    assert untranslated == [], f"untranslated in {po_path}"
    assert fuzzy == [], f"fuzzy in {po_path}"


@pytest.mark.parametrize("po_path", po_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_compiled_catalogue_matches_its_source(po_path):
    mo_path = po_path.with_suffix(".mo")
    assert mo_path.exists(), f"{mo_path} is missing: run make messages"

    def entries(catalogue):
        return {
            (e.msgctxt, e.msgid): (e.msgstr, tuple(sorted(e.msgstr_plural.items())))
            for e in catalogue
            if e.msgid and not getattr(e, "obsolete", False) and not getattr(e, "fuzzy", False)
        }

    assert entries(polib.mofile(str(mo_path))) == entries(polib.pofile(str(po_path)))


def extracted_msgids(tmp_path: Path) -> dict[str, set[tuple[str | None, str]]]:
    """Run makemessages on a copy of the tree and read what it finds."""
    copy = tmp_path / "tree"
    shutil.copytree(ROOT, copy, ignore=shutil.ignore_patterns(*IGNORED, "*.mo", "tests", "bench"))
    for po in copy.rglob("locale/en/LC_MESSAGES/django.po"):
        po.unlink()
    ignores = ["--ignore", ".venv/*", "--ignore", "var/*"]
    root_ignores = [arg for app in APPS for arg in ("--ignore", f"{app}/*")]
    command = [sys.executable, "-m", "django", "makemessages", "-l", "en", "--no-location"]
    env_python = {"DJANGO_SETTINGS_MODULE": "lov_portal.settings", "PATH": "/usr/bin:/bin"}
    subprocess.run(
        [*command, *ignores, *root_ignores],
        cwd=copy,
        check=True,
        capture_output=True,
        env={**env_python, "PYTHONPATH": str(copy)},
    )
    for app in APPS:
        (copy / app / "locale").mkdir(exist_ok=True)
        # Without settings, so makemessages writes to the app's own locale folder.
        subprocess.run(
            # django-admin, not `python -m django`: with the app folder first on sys.path, the
            # app's selectors.py would shadow the standard library's selectors module.
            [
                str(Path(sys.executable).parent / "django-admin"),
                "makemessages",
                "-l",
                "en",
                "--no-location",
            ],
            cwd=copy / app,
            check=True,
            capture_output=True,
            env={"PATH": "/usr/bin:/bin"},
        )
    found = {}
    for po in copy.rglob("locale/en/LC_MESSAGES/django.po"):
        key = str(po.parents[3].relative_to(copy))
        found[key] = {(e.msgctxt, e.msgid) for e in polib.pofile(str(po)) if e.msgid}
    return found


@pytest.mark.skipif(not shutil.which("xgettext"), reason="needs GNU gettext (xgettext)")
def test_every_message_in_the_code_is_in_a_catalogue(tmp_path):
    committed = {
        str(path.parents[3].relative_to(ROOT)): {
            (e.msgctxt, e.msgid) for e in polib.pofile(str(path)) if e.msgid and not e.obsolete
        }
        for path in po_files()
    }
    missing = {
        key: sorted(msgid for _ctx, msgid in ids - committed.get(key, set()))
        for key, ids in extracted_msgids(tmp_path).items()
    }
    missing = {key: ids for key, ids in missing.items() if ids}
    assert missing == {}, "run make messages and translate the new strings"


def test_templates_translate_without_loading_i18n():
    """The translation tags are template builtins (settings.TEMPLATES); one way to write a
    template, so no project template loads them itself."""
    from django.conf import settings

    assert "django.templatetags.i18n" in settings.TEMPLATES[0]["OPTIONS"]["builtins"]
    loading = [
        str(path.relative_to(ROOT))
        for pattern in ("*.html", "*.txt")
        for path in ROOT.rglob(pattern)
        if not IGNORED & set(path.relative_to(ROOT).parts)
        and "templates" in path.relative_to(ROOT).parts
        and re.search(r"\{%\s*load\s[^%]*\bi18n\b", path.read_text(encoding="utf-8"))
    ]
    assert loading == []
