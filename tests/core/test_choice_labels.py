"""`ChoiceLabels`: get_FOO_display() gives what Django's gives, translated when it is called."""

from __future__ import annotations

import pytest
from django.db import models
from django.utils import translation

from commitments.models import Action, Commitment, StatusUpdate
from lov_portal.core.models import ChoiceLabels

MODELS = [Commitment, StatusUpdate, Action]


def _choice_fields(model: type[models.Model]) -> list[models.Field]:
    return [f for f in model._meta.concrete_fields if f.choices]


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_the_model_uses_the_table(model):
    assert model._get_FIELD_display is ChoiceLabels._get_FIELD_display
    assert _choice_fields(model)


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_every_label_is_djangos_in_both_languages(model):
    for field in _choice_fields(model):
        display = getattr(model, f"get_{field.name}_display")
        for language in ("sv", "en", "sv"):  # back to Swedish: nothing kept translated
            with translation.override(language):
                for value, label in field.flatchoices:
                    instance = model(**{field.attname: value})
                    shown = display(instance)
                    assert shown == str(label), (field.name, value, language)
                    assert shown == models.Model._get_FIELD_display(instance, field)


def test_a_value_without_a_choice_is_shown_as_it_is():
    assert Commitment(status="no-such-status").get_status_display() == "no-such-status"
    assert Commitment(status=None).get_status_display() is None
