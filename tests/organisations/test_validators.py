import pytest
from django.core.exceptions import ValidationError

from organisations.validators import (
    luhn_valid,
    normalise_organisation_number,
    organisation_number_check_digit,
)


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("802426-1268", "802426-1268"),
        ("8024261268", "802426-1268"),
        ("16802426-1268", "802426-1268"),
        ("168024261268", "802426-1268"),
        (" 802426 - 1268 ".replace(" ", ""), "802426-1268"),
        ("232100-0206", "232100-0206"),  # a region
        ("556036-0793", "556036-0793"),  # an aktiebolag
    ],
)
def test_valid_organisation_numbers_are_normalised(given, expected):
    assert normalise_organisation_number(given) == expected


@pytest.mark.parametrize(
    ("given", "code"),
    [
        ("802426-1267", "checksum"),
        ("802426-1269", "checksum"),
        ("800101-1234", "personal_identity_number"),  # third digit 0: a personnummer
        ("811218-9876", "personal_identity_number"),  # third digit 1: a personnummer
        ("19811218-9876", "format"),  # a personnummer with century
        ("80242-61268", "format"),
        ("802426-126", "format"),
        ("abcdef-ghij", "format"),
        ("", "format"),
        ("17802426-1268", "format"),  # only 16 is an accepted prefix
    ],
)
def test_invalid_organisation_numbers_are_refused_with_a_reason(given, code):
    with pytest.raises(ValidationError) as error:
        normalise_organisation_number(given)
    assert error.value.code == code


def test_personal_identity_number_is_refused_even_with_valid_check_digit():
    nine = "811218987"
    number = f"{nine[:6]}-{nine[6:]}{organisation_number_check_digit(nine)}"
    assert luhn_valid(number.replace("-", ""))
    with pytest.raises(ValidationError) as error:
        normalise_organisation_number(number)
    assert error.value.code == "personal_identity_number"


def test_error_messages_are_in_swedish():
    with pytest.raises(ValidationError) as error:
        normalise_organisation_number("802426-1267")
    assert "kontrollsiffran" in error.value.messages[0]


def test_check_digit_completes_a_luhn_sum():
    for nine in ["802426126", "232100020", "769000001"]:
        assert luhn_valid(nine + organisation_number_check_digit(nine))
