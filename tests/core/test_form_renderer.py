"""One way to render a form field (issue 17): `components/form_field.html` is the project's
field template, so `{{ field.as_field_group }}`, `{{ form }}` and the include give the same
accessible markup, and no template or view renders fields another way."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django import forms
from django.conf import settings
from django.template import Context, Template
from django.template.loader import render_to_string

from tests.formwalk import project_form_classes

ROOT = Path(settings.BASE_DIR)


class SampleForm(forms.Form):
    name = forms.CharField(label="Namn", help_text="Som i registret.")
    note = forms.CharField(label="Anteckning", required=False, widget=forms.Textarea)
    agree = forms.BooleanField(label="Jag håller med", help_text="Läs villkoren.")
    side = forms.ChoiceField(
        label="Part",
        choices=[("a", "A"), ("b", "B")],
        widget=forms.RadioSelect,
        help_text="Välj en.",
    )
    secret = forms.CharField(widget=forms.HiddenInput, required=False)


def _include(field: forms.BoundField) -> str:
    return render_to_string("components/form_field.html", {"field": field}).strip()


@pytest.mark.parametrize("bound", [False, True])
@pytest.mark.parametrize("name", ["name", "note", "agree", "side", "secret"])
def test_as_field_group_is_the_accessible_component(bound, name):
    form = SampleForm({"name": "", "side": "x"} if bound else None)
    form.is_valid()
    assert str(form[name].as_field_group()) == _include(form[name])


def test_the_component_links_help_and_errors_with_djangos_ids():
    form = SampleForm({"name": ""})
    html = form["name"].as_field_group()
    assert 'id="id_name_helptext"' in html and 'id="id_name_error"' in html
    assert 'aria-describedby="id_name_helptext id_name_error"' in html
    assert 'aria-invalid="true"' in html
    assert "(obligatoriskt)" in html
    radios = form["side"].as_field_group()
    assert radios.startswith("<fieldset") and "<legend" in radios


def test_a_whole_form_renders_every_field_through_the_component():
    form = SampleForm({"name": ""})
    form.is_valid()
    expected = render_to_string("components/form_fields.html", {"form": form}).strip()
    assert str(form) == expected
    assert Template("{{ form }}").render(Context({"form": form})).strip() == expected


def test_no_form_of_the_portal_chooses_a_template_of_its_own():
    for form_class in project_form_classes():
        for name, field in form_class.base_fields.items():
            assert field.template_name is None, f"{form_class.__qualname__}.{name}"
        own = [
            attr
            for cls in form_class.__mro__
            if cls.__module__.split(".")[0] in {a.split(".")[0] for a in settings.LOCAL_APPS}
            for attr in cls.__dict__
            if attr.startswith("template_name") or attr == "default_renderer"
        ]
        assert own == [], f"{form_class.__qualname__}: {own}"


FORBIDDEN_IN_TEMPLATES = re.compile(
    r"\.as_(p|ul|table|div|field_group)\b"  # Django's own layouts, or a second spelling
    r"|\{\{\s*(?!attrs\.)[\w.]*form\s*\}\}"  # a whole form ({{ attrs.form }} is an id)
    r"|\{\{\s*[\w.]*\.non_field_errors\s*\}\}"  # the error summary shows these
    r"|\{\{\s*field\s*\}\}"  # a bare widget: only the components may render one
)


def _project_templates() -> list[Path]:
    found = []
    for path in ROOT.rglob("*.html"):
        parts = set(path.relative_to(ROOT).parts)
        if parts & {".venv", "node_modules", "artifacts", "vendor", "tests"}:
            continue
        if path.parent == ROOT / "templates" / "components":
            continue
        if "templates" in parts:
            found.append(path)
    return found


def test_templates_render_fields_only_through_the_component():
    """One spelling: `{% include "components/form_field.html" %}` (or form_fields.html);
    no `as_p`/`as_div`/`as_field_group`/`{{ form }}` and no bare non-field errors (the error
    summary, components/form_errors.html, shows those)."""
    templates = _project_templates()
    assert len(templates) > 50
    offenders = [
        f"{path.relative_to(ROOT)}: {match.group(0)}"
        for path in templates
        for match in FORBIDDEN_IN_TEMPLATES.finditer(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_no_view_builds_field_html():
    offenders = [
        str(path.relative_to(ROOT))
        for app in settings.LOCAL_APPS
        for path in (ROOT / app.replace(".", "/")).rglob("*.py")
        if re.search(r"\.as_(p|ul|table|div|field_group)\(", path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_every_error_summary_is_the_site_wide_component():
    """One error summary: every template that includes one includes
    components/form_errors.html (meetings had a copy of its own)."""
    includes = [
        (path.relative_to(ROOT), name)
        for path in _project_templates()
        for name in re.findall(r'{%\s*include\s+"([^"]*errors[^"]*)"', path.read_text("utf-8"))
    ]
    assert includes, "no template includes an error summary"
    assert [
        (str(path), name)
        for path, name in includes
        if name not in {"components/form_errors.html", "components/field_errors.html"}
    ] == []
    assert not list(ROOT.glob("*/templates/*/components/form_errors.html"))
