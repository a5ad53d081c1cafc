from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from lov_portal.core.models import unique, user_reference


class EditionStatus(models.TextChoices):
    QUEUED = "queued", _("I kö")
    RUNNING = "running", _("Skapas")
    DONE = "done", _("Klar")
    FAILED = "failed", _("Misslyckades")


def edition_path(edition: ReportEdition, filename: str) -> str:
    # MEDIA_ROOT is private: files there are only served by a view that checks permission.
    return f"reports/{edition.year}/uppfoljningsrapport-{edition.year}-{edition.edition}.pdf"


class ReportEdition(models.Model):
    """One rendering of the follow-up report for a year. A new run is a new edition."""

    year = models.PositiveSmallIntegerField(_("år"))
    edition = models.PositiveSmallIntegerField(_("utgåva"))
    language = models.CharField(_("språk"), max_length=5, default="sv")
    status = models.CharField(
        _("status"), max_length=10, choices=EditionStatus.choices, default=EditionStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("förlopp i procent"), default=0)
    file = models.FileField(_("fil"), upload_to=edition_path, blank=True)
    error = models.TextField(_("fel"), blank=True)
    created_by = user_reference(_("beställd av"))
    created_at = models.DateTimeField(_("beställd"), auto_now_add=True)
    started_at = models.DateTimeField(_("påbörjad"), null=True, blank=True)
    finished_at = models.DateTimeField(_("klar"), null=True, blank=True)

    class Meta:
        verbose_name = _("utgåva av uppföljningsrapport")
        verbose_name_plural = _("utgåvor av uppföljningsrapporter")
        ordering = ["-year", "-edition"]
        constraints = [unique("reportedition_unique", "year", "edition")]

    def __str__(self) -> str:
        return f"{self.year}:{self.edition}"

    @property
    def is_finished(self) -> bool:
        return self.status in {EditionStatus.DONE, EditionStatus.FAILED}
