"""The portal's one input policy for text (docs/security.md, "Hostile inputs tried").

- Single-line text (names, titles, references: every `CharField`) may not contain control
  characters: NUL, CR, LF, tab, the other C0 and C1 controls, DEL, and the Unicode line and
  paragraph separators (U+2028, U+2029). They break e-mail headers, CSV rows, calendar files
  and log lines, and no one types them on purpose.
- Multi-line text (`TextField`s, textareas) may contain line breaks and tabs, never the others.
- Rich text (agendas, minutes) is cleaned by `rich_text_clean` (nh3, a small set of tags) and
  has a maximum length, wherever it comes from: services, forms and the admin.

One home, four ways in: `InputPolicyMixin` for every form of the portal (tests/core/test_text.py
fails for a form without it); `install_model_text_policy()` (called by the core app at start-up)
adds the validators to every text field of the portal's models, so a model's `full_clean()`
and every ModelForm refuse the same characters; `install_admin_text_policy()` gives the admin
pages `AdminModelForm` (the policy and the rich-text cleaner); the CSV import calls
`validate_multi_line` on its cells. E-mail subjects and headers: lov_portal.core.mail.
"""

from __future__ import annotations

import re

import nh3
from django import forms
from django.core.exceptions import ValidationError
from django.utils.html import linebreaks
from django.utils.translation import gettext_lazy as _

_C0_C1 = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"
SINGLE_LINE_FORBIDDEN = re.compile(f"[{_C0_C1}\t\n\r\u2028\u2029]")
MULTI_LINE_FORBIDDEN = re.compile(f"[{_C0_C1}\u2028\u2029]")

SINGLE_LINE_MESSAGE = _(
    "Fältet får bara innehålla en rad text, utan radbrytningar, tabbar eller andra styrtecken."
)
MULTI_LINE_MESSAGE = _("Texten innehåller otillåtna styrtecken (till exempel NUL).")

# Rich text is rendered into pages and PDFs: a minutes item of 20,000 characters is about
# eight printed pages, far more than any real one (a 700 KB note made a PDF take 73 s).
RICH_TEXT_MAX_LENGTH = 20_000


def validate_single_line(value: object) -> None:
    if isinstance(value, str) and SINGLE_LINE_FORBIDDEN.search(value):
        raise ValidationError(SINGLE_LINE_MESSAGE, code="control_characters")


def validate_multi_line(value: object) -> None:
    if isinstance(value, str) and MULTI_LINE_FORBIDDEN.search(value):
        raise ValidationError(MULTI_LINE_MESSAGE, code="control_characters")


def single_line(value: str, *, max_length: int | None = None) -> str:
    """Text made safe for one line (an e-mail subject, a header, a log line): every control
    character and line separator becomes a space, runs of spaces become one."""
    value = " ".join(SINGLE_LINE_FORBIDDEN.sub(" ", value or "").split())
    if max_length is not None and len(value) > max_length:
        value = value[: max_length - 1].rstrip() + "…"
    return value


# --- Rich text -------------------------------------------------------------------------------

ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "b",
    "em",
    "i",
    "u",
    "ul",
    "ol",
    "li",
    "a",
    "blockquote",
    "h3",
    "h4",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"scope"}, "td": {"colspan", "rowspan"}}
_HAS_TAG = re.compile(r"<[a-zA-Z/][^>]*>")


def validate_rich_text_length(value: str, max_length: int = RICH_TEXT_MAX_LENGTH) -> None:
    if value and len(value) > max_length:
        raise ValidationError(
            _("Texten får vara högst %(max)s tecken lång (den är %(length)s)."),
            code="max_length",
            params={"max": f"{max_length:,}".replace(",", "\u00a0"), "length": len(value)},
        )


def rich_text_clean(value: str, *, max_length: int = RICH_TEXT_MAX_LENGTH) -> str:
    """Allow a small set of formatting tags; plain text keeps its paragraphs and line breaks.

    Raises ValidationError when the text is longer than `max_length` (before cleaning, so the
    cost of cleaning is bounded too)."""
    value = (value or "").strip()
    if not value:
        return ""
    validate_rich_text_length(value, max_length)
    value = MULTI_LINE_FORBIDDEN.sub("", value)
    if not _HAS_TAG.search(value):
        value = linebreaks(value, autoescape=True)
    return nh3.clean(
        value,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    ).strip()


# --- Forms -----------------------------------------------------------------------------------


def _is_multi_line(field: forms.Field) -> bool:
    return isinstance(field.widget, forms.Textarea)


class InputPolicyMixin:
    """Every text field of the form follows the input policy: single-line fields (any widget
    but a textarea) refuse control characters and line breaks; textareas refuse control
    characters other than line breaks and tabs. Put it first among a form's bases."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():  # type: ignore[attr-defined]
            if not isinstance(field, forms.CharField):
                continue
            if isinstance(field.widget, forms.PasswordInput):
                continue  # a password is compared, never shown, mailed or stored as text
            validator = validate_multi_line if _is_multi_line(field) else validate_single_line
            if validator not in field.validators:
                field.validators.append(validator)


# --- Models ----------------------------------------------------------------------------------


def install_model_text_policy(app_labels: set[str]) -> None:
    """Add the policy's validators to every text field of the given apps' models.

    They go into each field's `validators` list, not into the `validators=` the field was
    declared with, so migrations do not change; `full_clean()` (every ModelForm, the admin)
    runs them. Fields with choices are checked by their choices already."""
    from django.apps import apps
    from django.db import models

    for model in apps.get_models():
        if model._meta.app_label not in app_labels:
            continue
        for field in model._meta.get_fields():
            if not isinstance(field, models.CharField | models.TextField) or field.choices:
                continue
            if isinstance(field, models.TextField):
                validator = validate_multi_line
            else:
                validator = validate_single_line
            if validator not in field.validators:
                field.validators.append(validator)


# --- The admin -------------------------------------------------------------------------------


class AdminModelForm(InputPolicyMixin, forms.ModelForm):
    """The form of every admin page of the portal's models (`install_admin_text_policy`).

    Besides the policy for plain text, fields a model names in `rich_text_fields` go through
    `rich_text_clean`, as they do when the portal's own pages save them: the admin is no way
    around the sanitiser (issue 15: an agenda item edited here stored `<meta http-equiv>`)."""

    def clean(self) -> dict:
        data = super().clean()
        for name in getattr(self._meta.model, "rich_text_fields", ()):
            if isinstance(data.get(name), str):
                try:
                    data[name] = rich_text_clean(data[name])
                except ValidationError as error:
                    self.add_error(name, error)
        return data


def install_admin_text_policy(app_labels: set[str]) -> None:
    """Give every admin page (and inline) of the given apps' models the policy's form, unless
    the page declares a form of its own (which then uses InputPolicyMixin itself)."""
    from django.contrib import admin

    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label not in app_labels:
            continue
        if model_admin.form is forms.ModelForm:
            model_admin.form = AdminModelForm
        for inline in model_admin.inlines:
            if inline.form is forms.ModelForm and inline.model._meta.app_label in app_labels:
                inline.form = AdminModelForm


def shortened(value: str, limit: int = 80) -> str:
    """`value` in at most `limit` characters: whole words, and "…" when something was cut
    (a select's option, a to-do list's line, an object's name in the admin)."""
    value = " ".join(value.split())
    if len(value) <= limit:
        return value
    cut = value[: limit - 1]
    if " " in cut and not value[limit - 1].isspace():
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,.;:–-") + "…"
