"""Swedish organisation numbers (organisationsnummer).

Format NNNNNN-NNNN, optionally prefixed with the century-like "16" used by the tax agency.
The last digit is a Luhn check digit over the other nine. The third digit is at least 2 for
legal persons; a lower one means the number is a personal identity number (personnummer),
which the portal refuses because it would publish a person's identity.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_PATTERN = re.compile(r"^(?:16)?([0-9]{6})-?([0-9]{4})\Z")


def luhn_valid(digits: str) -> bool:
    total = 0
    for index, char in enumerate(digits):
        value = int(char) * (2 if index % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def normalise_organisation_number(value: str) -> str:
    """Return the number as NNNNNN-NNNN, or raise ValidationError with a Swedish message."""
    cleaned = re.sub(r"\s+", "", value or "")
    match = _PATTERN.match(cleaned)
    if not match:
        raise ValidationError(
            _("Ange organisationsnumret som tio siffror i formen NNNNNN-NNNN."),
            code="format",
        )
    digits = match.group(1) + match.group(2)
    if int(digits[2]) < 2:
        raise ValidationError(
            _(
                "Det här ser ut som ett personnummer. Ange organisationens "
                "organisationsnummer (den tredje siffran är 2 eller högre)."
            ),
            code="personal_identity_number",
        )
    if not luhn_valid(digits):
        raise ValidationError(
            _("Organisationsnumret är inte giltigt: kontrollsiffran stämmer inte."),
            code="checksum",
        )
    return f"{digits[:6]}-{digits[6:]}"


def validate_organisation_number(value: str) -> None:
    normalise_organisation_number(value)


def organisation_number_check_digit(first_nine: str) -> str:
    """The Luhn check digit that completes nine digits (used by demo data and tests)."""
    for candidate in "0123456789":
        if luhn_valid(first_nine + candidate):
            return candidate
    raise AssertionError("unreachable: one digit always completes a Luhn sum")
