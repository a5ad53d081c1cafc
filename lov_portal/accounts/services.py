"""Writes to a person's own account."""

from __future__ import annotations

from typing import NoReturn

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from lov_portal.audit.services import audit_record

from .models import BankIDLink, User

LANGUAGES = ("sv", "en")


def account_details_update(*, user: User, full_name: str, preferred_language: str) -> User:
    if preferred_language not in LANGUAGES:
        raise ValueError(preferred_language)
    user.full_name = full_name.strip()
    user.preferred_language = preferred_language
    user.save(update_fields=["full_name", "preferred_language"])
    return user


def language_of(code: str | None) -> str:
    """The portal language (sv or en) for a request's language code."""
    return "en" if (code or "").startswith("en") else "sv"


class BankIDAlreadyLinkedError(ValidationError):
    """The BankID is already linked to another account (one person, one account)."""


def bankid_link(
    *, user: User, personal_number: str, name: str, request: HttpRequest | None = None
) -> BankIDLink:
    """Link the person's BankID to their account (replacing an earlier link): the keyed hash
    of the personal identity number, the name BankID gave and when. A BankID linked to another
    account is refused (`BankIDAlreadyLinkedError`, recorded), also when two accounts race to
    link the same one."""
    from .bankid import personal_number_hash

    number_hash = personal_number_hash(personal_number)
    if _linked_elsewhere(user, number_hash):
        _link_refused(user, request)
    try:
        with transaction.atomic():
            link, created = BankIDLink.objects.update_or_create(
                user=user,
                defaults={
                    "personal_number_hash": number_hash,
                    "name": name.strip()[:200],
                    "linked_at": timezone.now(),
                },
            )
            audit_record(
                actor=user,
                action="account.bankid_linked",
                obj=user,
                data={"replaced": not created},
                request=request,
            )
    except IntegrityError:
        # Another account linked the same BankID at the same moment: this one loses.
        if not _linked_elsewhere(user, number_hash):
            raise
        _link_refused(user, request)
    return link


def _linked_elsewhere(user: User, number_hash: str) -> bool:
    return BankIDLink.objects.filter(personal_number_hash=number_hash).exclude(user=user).exists()


def _link_refused(user: User, request: HttpRequest | None) -> NoReturn:
    audit_record(actor=user, action="account.bankid_link_refused", obj=user, request=request)
    raise BankIDAlreadyLinkedError(
        _(
            "Det här BankID:t är redan kopplat till ett annat konto i portalen. Ett BankID kan "
            "bara vara kopplat till ett konto. Ta bort kopplingen från det andra kontot först."
        ),
        code="bankid_linked_elsewhere",
    )


def bankid_unlink(*, user: User, request: HttpRequest | None = None) -> bool:
    """Remove the link; False if there was none (nothing is recorded then)."""
    with transaction.atomic():
        deleted, _ = BankIDLink.objects.filter(user=user).delete()
        if deleted:
            audit_record(actor=user, action="account.bankid_unlinked", obj=user, request=request)
    return bool(deleted)


def bankid_step_up_refused(*, user: User, request: HttpRequest | None = None) -> None:
    """Someone identified with a BankID that is not the one linked to the account."""
    audit_record(actor=user, action="account.bankid_refused", obj=user, request=request)
