"""The one input policy (lov_portal.core.text): every form, the admin, the models, e-mail.

The form tests are generated: every Form class of the portal's modules is built and given
CR/LF (and a NUL) in every single-line text field, so a new form or field is covered without
a new test. Before the policy the application form took `Förening\\r\\nBcc: …` and the 500
came later, from the e-mail (issue 15).
"""

from __future__ import annotations

import inspect

import pytest
from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from lov_portal.core.mail import header_value, mail_subject
from lov_portal.core.text import (
    RICH_TEXT_MAX_LENGTH,
    InputPolicyMixin,
    rich_text_clean,
    single_line,
    validate_multi_line,
    validate_single_line,
)
from tests.formwalk import project_form_classes

CRLF = "Förening\r\nBcc: evil@example.com"
HOSTILE_SINGLE_LINE = [
    CRLF,
    "a\x00b",
    "a\tb",
    "a\x1bb",  # ESC
    "a\x85b",  # NEL, a C1 control
    "a\u2028b",
    "a\u2029b",
    "a\x7fb",
]


@pytest.mark.parametrize("value", HOSTILE_SINGLE_LINE, ids=repr)
def test_single_line_text_refuses_every_control_character(value):
    with pytest.raises(ValidationError) as caught:
        validate_single_line(value)
    assert caught.value.code == "control_characters"


def test_multi_line_text_keeps_line_breaks_and_tabs_and_refuses_the_rest():
    validate_multi_line("Rad ett\r\nRad två\n\tindrag")
    for value in ("a\x00b", "a\x1bb", "a\u2028b", "a\x85b"):
        with pytest.raises(ValidationError):
            validate_multi_line(value)


def test_ordinary_swedish_text_passes():
    validate_single_line("Föreningen Åre–Östersund ”Hjärta” & co. 100 % ideell")
    validate_multi_line("Åtgärd: – punkt ett\n– punkt två")


def test_subjects_and_headers_are_one_bounded_line_whatever_the_data():
    subject = mail_subject("Ny ansökan: " + CRLF + "x" * 500)
    assert "\r" not in subject and "\n" not in subject
    assert subject.startswith("[LÖV-portalen] Ny ansökan: Förening Bcc:")
    assert len(subject) <= 150
    assert header_value("a@example.se\r\nBcc: b@example.se") == "a@example.se Bcc: b@example.se"
    assert single_line("a\u2028b\x00c") == "a b c"


# --- Every form of the portal --------------------------------------------------------------

CONSTRUCTOR_VALUES = {
    "users": lambda: _none("lov_portal.accounts.models", "User"),
    "commitments": lambda: _none("commitments.models", "Commitment"),
    "principles": lambda: _none("agreements.models", "Principle"),
    "organisations": lambda: _none("organisations.models", "Organisation"),
    "areas": lambda: _none("commitments.models", "DevelopmentArea"),
    "actions": lambda: _none("commitments.models", "Action"),
    "members": lambda: [],
    "initial_rows": lambda: {},
    "targets": lambda: [("meeting", "Mötet")],
    "can_mark_internal": lambda: True,
    "user": lambda: None,
}
# Where a keyword means something else in one form.
OVERRIDES = {"AuditFilterForm": {"actions": lambda: ["x"]}}


def _none(module: str, name: str):
    import importlib

    return getattr(importlib.import_module(module), name).objects.none()


def build(form_class: type[forms.BaseForm], data: dict) -> forms.BaseForm:
    kwargs = {}
    values = {**CONSTRUCTOR_VALUES, **OVERRIDES.get(form_class.__name__, {})}
    required = [
        name
        for name, parameter in inspect.signature(form_class.__init__).parameters.items()
        if parameter.kind is parameter.KEYWORD_ONLY and parameter.default is parameter.empty
    ]
    # The querysets a form takes through lov_portal.core.forms.CallerChoicesMixin.
    required += list(getattr(form_class, "caller_choices", {}))
    for name in required:
        assert name in values, f"{form_class.__name__}: add {name!r} to CONSTRUCTOR_VALUES"
        kwargs[name] = values[name]()
    return form_class(data, **kwargs)


FORMS = project_form_classes()


def _single_line_fields(form: forms.BaseForm) -> list[str]:
    return [
        name
        for name, field in form.fields.items()
        if isinstance(field, forms.CharField)
        and not isinstance(field.widget, forms.Textarea | forms.PasswordInput | forms.HiddenInput)
    ]


def _codes(form: forms.BaseForm, name: str) -> set[str]:
    return {error.code for error in form.errors.as_data().get(name, [])}


def test_every_form_of_the_portal_follows_the_input_policy():
    assert len(FORMS) > 30
    assert not [f.__qualname__ for f in FORMS if not issubclass(f, InputPolicyMixin)]


@pytest.mark.django_db
@pytest.mark.parametrize("form_class", FORMS, ids=lambda f: f"{f.__module__}.{f.__qualname__}")
@pytest.mark.parametrize("value", [CRLF, "Förening\x00", "Förening\u2028Bcc"], ids=repr)
def test_every_single_line_field_of_every_form_refuses_control_characters(form_class, value):
    probe = build(form_class, {})
    names = _single_line_fields(probe)
    if not names:
        pytest.skip("no single-line text field")
    form = build(form_class, dict.fromkeys(names, value))
    assert not form.is_valid()
    accepted = [name for name in names if "control_characters" not in _codes(form, name)]
    assert not accepted, f"{form_class.__name__} accepts {value!r} in {accepted}"


@pytest.mark.django_db
@pytest.mark.parametrize("form_class", FORMS, ids=lambda f: f"{f.__module__}.{f.__qualname__}")
def test_every_textarea_keeps_line_breaks_and_refuses_nul(form_class):
    probe = build(form_class, {})
    names = [
        n
        for n, f in probe.fields.items()
        if isinstance(f, forms.CharField) and isinstance(f.widget, forms.Textarea)
    ]
    if not names:
        pytest.skip("no textarea")
    form = build(form_class, dict.fromkeys(names, "Rad ett\r\nRad två"))
    form.is_valid()
    assert not [n for n in names if "control_characters" in _codes(form, n)]
    form = build(form_class, dict.fromkeys(names, "Rad ett\x00"))
    assert not form.is_valid()
    assert all(form.errors.get(n) for n in names)


def test_the_application_meeting_and_commitment_forms_are_among_those_checked():
    names = {f.__name__ for f in FORMS}
    assert {
        "OrganisationDetailsForm",
        "ContactForm",
        "MeetingForm",
        "AgendaItemForm",
        "MinutesItemForm",
        "DecisionActionForm",
        "StatusUpdateForm",
        "CommitmentForm",
        "ActionForm",
        "DevelopmentAreaForm",
    } <= names


# --- Models and the admin ------------------------------------------------------------------


@pytest.mark.django_db
def test_full_clean_refuses_cr_lf_in_a_model_char_field():
    from tests.organisations.factories import OrganisationFactory

    organisation = OrganisationFactory.build(name=CRLF)
    with pytest.raises(ValidationError) as caught:
        organisation.full_clean()
    assert "name" in caught.value.message_dict


def test_every_admin_page_of_the_portal_uses_the_policy():
    from django.conf import settings

    local = {a.split(".")[-1] for a in settings.LOCAL_APPS}
    missing = []
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label not in local:
            continue
        if not issubclass(model_admin.form, InputPolicyMixin):
            missing.append(model.__name__)
        for inline in model_admin.inlines:
            if not issubclass(inline.form, InputPolicyMixin):
                missing.append(f"{model.__name__}: {inline.__name__}")
    assert not missing


@pytest.mark.django_db
def test_the_admin_cleans_rich_text_and_refuses_control_characters(rf):
    from meetings.admin import AgendaItemInline
    from meetings.models import AgendaItem, Meeting
    from tests.reminders.factories import MeetingFactory

    meeting = MeetingFactory()
    request = rf.get("/")
    from lov_portal.accounts.models import User

    request.user = User(is_superuser=True, is_active=True)
    form_class = AgendaItemInline(Meeting, admin.site).get_formset(request, meeting).form
    hostile = '<meta http-equiv="refresh" content="0;url=https://evil.example">Hej <b>då</b>'
    form = form_class(
        {"title": "Punkt", "description": hostile, "position": 1, "meeting": meeting.pk},
        instance=AgendaItem(meeting=meeting),
    )
    assert form.is_valid(), form.errors
    assert "<meta" not in form.cleaned_data["description"]
    assert "<b>då</b>" in form.cleaned_data["description"]
    form = form_class(
        {"title": CRLF, "description": "x" * (RICH_TEXT_MAX_LENGTH + 1), "position": 1},
        instance=AgendaItem(meeting=meeting),
    )
    assert not form.is_valid()
    assert "title" in form.errors and "description" in form.errors


# --- Rich text length ----------------------------------------------------------------------

SEVEN_HUNDRED_KB = "Långt protokoll. " * 42_000  # about 700 KB


def test_a_700_kb_note_is_refused_by_the_minutes_form_with_a_message():
    from meetings.forms import MinutesItemForm

    form = MinutesItemForm({"heading": "§ 1", "notes": SEVEN_HUNDRED_KB})
    assert not form.is_valid()
    assert "20000" in str(form.errors["notes"]) or "20 000" in str(form.errors["notes"])


def test_the_cleaner_refuses_overlong_rich_text_before_cleaning_it():
    with pytest.raises(ValidationError):
        rich_text_clean(SEVEN_HUNDRED_KB)
    assert rich_text_clean("Kort\n\nText") == "<p>Kort</p>\n\n<p>Text</p>"


@pytest.mark.django_db
def test_the_agenda_service_refuses_a_700_kb_description_and_cleans_markup():
    from meetings import services
    from meetings.models import AgendaItem
    from tests.reminders.factories import MeetingFactory

    meeting = MeetingFactory()
    with pytest.raises(ValidationError):
        services.agenda_item_create(meeting=meeting, title="Punkt", description=SEVEN_HUNDRED_KB)
    assert not AgendaItem.objects.exists()
    item = services.agenda_item_create(
        meeting=meeting, title="Punkt", description='<meta http-equiv="refresh">Hej'
    )
    assert item.description == "Hej"
