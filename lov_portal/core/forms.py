"""The one way a form field is rendered (issue 17; docs/decisions.md).

`PortalFormRenderer` is the project's FORM_RENDERER: its field template is the accessible
component `components/form_field.html` (label, "(obligatoriskt)", help text and errors with
the ids Django 5.2's `aria-describedby` names) and its form template renders every field
through it. So `{{ field.as_field_group }}`, `{{ form }}` and
`{% include "components/form_field.html" with field=... only %}` give the same markup; the
templates use the include. `TemplatesSetting` renders with the project's own template engine
(the widgets' templates come from `django.forms` in INSTALLED_APPS).
"""

from __future__ import annotations

from django.forms.renderers import TemplatesSetting

FIELD_TEMPLATE = "components/form_field.html"
FORM_TEMPLATE = "components/form_fields.html"


class PortalFormRenderer(TemplatesSetting):
    field_template_name = FIELD_TEMPLATE
    form_template_name = FORM_TEMPLATE
