"""Versions of an agreement: adding, publishing (the public log, the current version) and
editing a version's wording before it is published."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lov_portal.audit.services import audit_record
from lov_portal.core.cache import public_cache_bump

from .. import evidence, signals
from ..models import (
    REVIEW_INTERVAL_YEARS,
    Agreement,
    AgreementVersion,
    add_years,
)
from ..text import canonical_text


def _current_unset(*, agreement_id: int) -> None:
    AgreementVersion.objects.filter(agreement_id=agreement_id, is_current=True).update(
        is_current=False
    )


def _version_data(version: AgreementVersion) -> dict[str, object]:
    return {"number": version.number, "text_sha256": version.text_sha256}


def agreement_version_create(
    *,
    agreement: Agreement,
    number: int,
    text: str,
    adopted_on: datetime.date | None = None,
    effective_from: datetime.date | None = None,
    review_due_on: datetime.date | None = None,
    make_current: bool = True,
    by: object | None = None,
) -> AgreementVersion:
    """Add a version; the review is due five years after it takes effect unless set earlier."""
    if review_due_on is None and effective_from is not None:
        review_due_on = add_years(effective_from, REVIEW_INTERVAL_YEARS)
    with transaction.atomic():
        if make_current:
            _current_unset(agreement_id=agreement.pk)
            public_cache_bump()
        version = AgreementVersion(
            agreement=agreement,
            number=number,
            text=canonical_text(text),
            adopted_on=adopted_on,
            effective_from=effective_from,
            review_due_on=review_due_on,
            is_current=make_current,
        )
        version.full_clean()
        version.save()
        audit_record(
            actor=by,
            action="agreement.version_published" if make_current else "agreement.version_added",
            obj=version,
            data=_version_data(version),
        )
        if make_current:
            evidence.version_published(version, at=timezone.now())
            signals.version_published.send(sender=AgreementVersion, version=version)
    return version


class VersionPublishError(Exception):
    """The version cannot be made the current one (a later version has been published)."""


def agreement_version_publish(*, version: AgreementVersion, by: object | None) -> None:
    """Make an added version the current one: it enters the public log and its wording is
    frozen. An earlier version never becomes current again after a later one was published."""
    with transaction.atomic():
        Agreement.objects.select_for_update().get(pk=version.agreement_id)
        version = AgreementVersion.objects.get(pk=version.pk)
        if version.is_current:
            return
        if AgreementVersion.objects.filter(
            agreement_id=version.agreement_id, number__gt=version.number, published_at__isnull=False
        ).exists():
            raise VersionPublishError
        _current_unset(agreement_id=version.agreement_id)
        AgreementVersion.objects.filter(pk=version.pk).update(is_current=True)
        version.is_current = True
        if version.log_entry_id is None:
            evidence.version_published(version, at=timezone.now())
        audit_record(
            actor=by,
            action="agreement.version_published",
            obj=version,
            data=_version_data(version),
        )
        public_cache_bump()
        signals.version_published.send(sender=AgreementVersion, version=version)


class PublishedVersionError(ValidationError):
    """A published version's wording cannot change: a new text is always a new version."""


class _Unchanged:
    pass


UNCHANGED = _Unchanged()


def agreement_version_update(
    *,
    version: AgreementVersion,
    number: int | _Unchanged = UNCHANGED,
    text: str | _Unchanged = UNCHANGED,
    adopted_on: datetime.date | _Unchanged | None = UNCHANGED,
    effective_from: datetime.date | _Unchanged | None = UNCHANGED,
    review_due_on: datetime.date | _Unchanged | None = UNCHANGED,
) -> AgreementVersion:
    """Edit a version. A published one (current, or ever signed) keeps its number and text.

    The database refuses the same change (lov_portal.core.triggers); this says why in words.
    """
    changes = {
        name: value
        for name, value in {
            "number": number,
            "text": canonical_text(text) if isinstance(text, str) else text,
            "adopted_on": adopted_on,
            "effective_from": effective_from,
            "review_due_on": review_due_on,
        }.items()
        if value is not UNCHANGED
    }
    frozen = [name for name in ("number", "text") if name in changes]
    if version.is_published and any(getattr(version, name) != changes[name] for name in frozen):
        raise PublishedVersionError(
            _(
                "Versionen är publicerad och dess nummer och text kan inte ändras. "
                "En ny text blir alltid en ny version."
            ),
            code="published",
        )
    for name, value in changes.items():
        setattr(version, name, value)
    version.full_clean()
    version.save()
    if version.is_current:
        public_cache_bump()
    return version
