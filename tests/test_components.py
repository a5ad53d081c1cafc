"""Shared template components (issue 17: one way to do each thing)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
POST_FORM_COMPONENTS = (
    "components/form.html",
    "organisations/components/document_table.html",
)


def _templates() -> list[Path]:
    return [
        p for p in ROOT.rglob("*.html") if ".venv" not in p.parts and "node_modules" not in p.parts
    ]


def test_every_include_of_a_component_with_a_post_form_passes_the_csrf_token_on():
    # `{% include … only %}` leaves out what the context processors give, so a component that
    # renders {% csrf_token %} gets nothing unless the page passes it on: the form then looks
    # right, passes the tests' lenient client and is refused in every real browser.
    include = re.compile(r"\{% include \"(?P<name>[^\"]+)\"(?P<args>[^%]*)%\}")
    missing = []
    for path in _templates():
        for match in include.finditer(path.read_text(encoding="utf-8")):
            if match["name"] not in POST_FORM_COMPONENTS or 'method="get"' in match["args"]:
                continue
            if " only" in match["args"] and "csrf_token=csrf_token" not in match["args"]:
                missing.append(f"{path.relative_to(ROOT)}: {match.group(0)[:80]}")
    assert not missing, missing
