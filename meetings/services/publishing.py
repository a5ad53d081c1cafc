"""Publishing approved minutes and storing the published revision's PDF once per language."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext as _

from lov_portal.audit.services import audit_record

from ..models import Minutes, MinutesPdf, MinutesPublication, MinutesRevision, MinutesStatus
from .common import MinutesStateError, minutes_lock


def minutes_publish(*, minutes: Minutes, by: object) -> MinutesPublication:
    with transaction.atomic():
        minutes = minutes_lock(minutes)
        if minutes.status != MinutesStatus.APPROVED:
            raise MinutesStateError(_("Bara justerade protokoll kan publiceras."))
        publication = MinutesPublication.objects.create(
            revision=minutes.current_revision, published_by=by
        )
        minutes.status = MinutesStatus.PUBLISHED
        minutes.published_revision = minutes.current_revision
        minutes.save(update_fields=["status", "published_revision", "updated_at"])
        audit_record(actor=by, action="minutes.published", obj=minutes)
        # Rendered once, on a worker, when the publication is committed; served from storage.
        from ..tasks import minutes_pdf_store

        minutes_pdf_store.delay_on_commit(publication.revision_id)
    return publication


def minutes_pdf_store(*, revision: MinutesRevision, language: str) -> MinutesPdf:
    """The stored PDF of a published revision in `language`: rendered and stored the first
    time (normally by the task at publication; by a request only if that has not happened)."""
    from ..pdf import minutes_pdf_render

    existing = MinutesPdf.objects.filter(revision=revision, language=language).first()
    if existing is not None:
        return existing
    if not MinutesPublication.objects.filter(revision=revision).exists():
        raise MinutesStateError(_("Bara publicerade protokoll sparas som PDF."))
    with translation.override(language):
        data = minutes_pdf_render(revision=revision)
    pdf = MinutesPdf(
        revision=revision,
        language=language,
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
    )
    pdf.file.save("protokoll.pdf", ContentFile(data), save=False)
    try:
        with transaction.atomic():
            pdf.save()
    except IntegrityError:
        # Stored meanwhile by another worker or request: keep theirs, drop our copy.
        pdf.file.storage.delete(pdf.file.name)
        return MinutesPdf.objects.get(revision=revision, language=language)
    return pdf


def minutes_pdfs_store(*, revision_id: int) -> list[MinutesPdf]:
    revision = MinutesRevision.objects.select_related("minutes__meeting").get(pk=revision_id)
    return [
        minutes_pdf_store(revision=revision, language=code) for code, _name in settings.LANGUAGES
    ]
