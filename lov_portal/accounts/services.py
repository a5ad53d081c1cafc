"""Writes to a person's own account."""

from __future__ import annotations

from importlib import import_module
from typing import Any, NoReturn

from allauth.usersessions.models import UserSession
from django.conf import settings
from django.core.cache import caches
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


def user_deactivate(*, user: User) -> User:
    """Make the account inactive and end every session it logged in with: the one way to
    deactivate (staff in the admin, erasure), so that reactivating the account does not bring
    its old, possibly stolen, sessions back (decisions 87 and 89)."""
    with transaction.atomic():
        user.is_active = False
        user.save(update_fields=["is_active"], end_sessions=False)
        sessions_end(user=user)
    return user


def sessions_end(*, user: Any) -> None:
    """End every session the user logged in with, through the session store: on deactivation
    (`user_deactivate`, and `User.save()` as a safety net for an account saved inactive some
    other way).

    Never delete `Session` rows directly: with sessions in the cache (SESSION_ENGINE
    cached_db, decision 74) the cached copy would stay valid until it expires. The cached
    copies are dropped again when the transaction commits, in case another request read a
    row it still saw back into the cache in between."""
    store = import_module(settings.SESSION_ENGINE).SessionStore
    session_keys = list(UserSession.objects.filter(user=user).values_list("session_key", flat=True))
    for key in session_keys:
        store(session_key=key).delete()
    UserSession.objects.filter(user=user).delete()

    def drop_cached_copies() -> None:
        cached = [getattr(store(session_key=key), "cache_key", None) for key in session_keys]
        if any(cached):
            caches[settings.SESSION_CACHE_ALIAS].delete_many([k for k in cached if k])

    transaction.on_commit(drop_cached_copies)
