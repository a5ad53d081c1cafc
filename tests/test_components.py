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


def _item_list(**context) -> str:
    from django.template import Template
    from django.template.loader import render_to_string

    templates = {
        "item_template": "<li>{{ item }}</li>",
        "head_template": "<caption>{{ items|length }}</caption>",
    }
    for name, source in templates.items():
        if context.get(name):
            context[name] = Template(source)
    return render_to_string("components/item_list.html", context)


def test_item_list_renders_the_items_or_the_empty_state():
    # One way to show "the items, or a sentence saying there are none" (issue 17).
    empty = _item_list(items=[], item_template=True, empty="Inga ännu.")
    assert '<p class="empty-state">Inga ännu.</p>' in empty
    assert "<ul" not in empty

    listed = _item_list(
        items=["a", "b"],
        item_template=True,
        tag="ol",
        list_class="history",
        reversed=True,
        empty="-",
    )
    assert '<ol class="history" reversed>' in listed and "</ol>" in listed
    assert "<li>a</li>" in listed and "<li>b</li>" in listed
    assert "empty-state" not in listed
    assert "<ul>" in _item_list(items=["a"], item_template=True, empty="-")
    section = _item_list(items=[], empty="-", heading="Rubrik", heading_id="r")
    assert section.startswith('<section aria-labelledby="r">\n  <h2 id="r">Rubrik</h2>')
    assert section.rstrip().endswith("</section>")


def test_item_list_renders_a_table_when_given_a_head():
    scrolled = _item_list(
        items=["a"],
        item_template=True,
        head_template=True,
        table_class="table",
        region_label="x",
        empty="-",
    )
    region = '<div class="table-scroll" role="region" tabindex="0" aria-labelledby="x">'
    assert region in scrolled and '<table class="table">' in scrolled
    assert "<caption>1</caption>" in scrolled and "<tbody>" in scrolled and "<li>a</li>" in scrolled
    plain = _item_list(
        items=["a"], item_template=True, head_template=True, labelled_by="h", empty="-"
    )
    assert '<table class="data-table" aria-labelledby="h">' in plain and "table-scroll" not in plain
    assert '<p class="empty-state">Inga.</p>' in _item_list(
        items=[], head_template=True, empty="Inga."
    )
