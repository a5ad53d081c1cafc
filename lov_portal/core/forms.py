"""The one way a form field is rendered (issue 17; docs/decisions.md), and the one way a form
takes the choices its caller scoped (`CallerChoicesMixin`).

`PortalFormRenderer` is the project's FORM_RENDERER: its field template is the accessible
component `components/form_field.html` (label, "(obligatoriskt)", help text and errors with
the ids Django 5.2's `aria-describedby` names) and its form template renders every field
through it. So `{{ field.as_field_group }}`, `{{ form }}` and
`{% include "components/form_field.html" with field=... only %}` give the same markup; the
templates use the include. `TemplatesSetting` renders with the project's own template engine
(the widgets' templates come from `django.forms` in INSTALLED_APPS).
"""

from __future__ import annotations

from typing import ClassVar

from django import forms
from django.forms.renderers import TemplatesSetting

FIELD_TEMPLATE = "components/form_field.html"
FORM_TEMPLATE = "components/form_fields.html"


class PortalFormRenderer(TemplatesSetting):
    field_template_name = FIELD_TEMPLATE
    form_template_name = FORM_TEMPLATE


class CallerChoicesMixin:
    """Fields whose choices the caller gives: a selector's queryset, scoped to the person (the
    users of the group, the commitments one may report on). `caller_choices` maps each keyword
    argument the form takes to the fields whose queryset it is, e.g. `{"users": ("owner",)}`;
    every one must be passed. Put it before the form class among the bases."""

    caller_choices: ClassVar[dict[str, tuple[str, ...]]] = {}

    def __init__(self, *args: object, **kwargs: object) -> None:
        missing = [name for name in self.caller_choices if name not in kwargs]
        if missing:
            raise TypeError(f"{type(self).__name__} needs {', '.join(missing)}")
        chosen = {name: kwargs.pop(name) for name in self.caller_choices}
        super().__init__(*args, **kwargs)
        for name, fields in self.caller_choices.items():
            for field in fields:
                self.fields[field].queryset = chosen[name]  # type: ignore[attr-defined]


def text_area_field(
    label: str,
    *,
    rows: int,
    max_length: int | None = None,
    required: bool = False,
    help_text: str = "",
) -> forms.CharField:
    """Free text over several lines (a reason, a message, a description): a textarea of `rows`
    rows, optional unless said otherwise."""
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        widget=forms.Textarea(attrs={"rows": rows}),
        help_text=help_text,
    )
