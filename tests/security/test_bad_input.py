"""Bad input never becomes a 500: property-based tests on validators and forms."""

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lov_portal.audit.forms import AuditFilterForm
from lov_portal.privacy.forms import AccountDeleteForm
from organisations.validators import normalise_organisation_number
from tests.organisations.factories import valid_organisation_number

DIGITS_AND_NOISE = st.text(alphabet="0123456789- 16\n\t\u0663\u00a0x", max_size=20)


@given(st.one_of(st.text(max_size=40), DIGITS_AND_NOISE))
def test_the_organisation_number_validator_only_raises_validation_error(value):
    try:
        result = normalise_organisation_number(value)
    except ValidationError:
        return
    assert len(result) == 11 and result[6] == "-"
    assert result.replace("-", "").isascii() and result.replace("-", "").isdigit()


def test_non_ascii_digits_are_refused():
    arabic_indic = str.maketrans(
        "0123456789", "\u0660\u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668\u0669"
    )
    with pytest.raises(ValidationError):
        normalise_organisation_number(valid_organisation_number(5).translate(arabic_indic))


@given(st.integers(min_value=1, max_value=999_999))
def test_every_valid_organisation_number_is_accepted_with_or_without_dash(n):
    number = valid_organisation_number(n)
    assert normalise_organisation_number(number) == number
    assert normalise_organisation_number(number.replace("-", "")) == number


FORM_VALUES = st.one_of(st.text(max_size=60), st.dates().map(str), st.just(""))


@given(st.dictionaries(st.sampled_from(["action", "actor", "date_from", "date_to"]), FORM_VALUES))
def test_the_audit_filter_form_never_raises(data):
    form = AuditFilterForm(data, actions=["staff.login"])
    form.is_valid()


@pytest.mark.django_db
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=50)
@given(data=st.dictionaries(st.sampled_from(["password", "confirm"]), st.text(max_size=60)))
def test_the_account_delete_form_never_raises(data):
    from lov_portal.accounts.models import User

    user = User(email="x@example.se")
    user.set_password("korrekt-hast-batteri")
    form = AccountDeleteForm(data, user=user)
    assert not form.is_valid() or data.get("password") == "korrekt-hast-batteri"
