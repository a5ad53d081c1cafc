"""The portal's own records: reports of accessibility problems from visitors."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AccessibilityReport(models.Model):
    """A visitor's report of an accessibility problem (the law requires a way to send one).

    Staff are e-mailed each report and mark it handled in the admin.
    """

    created_at = models.DateTimeField(_("inkommen"), default=timezone.now, db_index=True)
    description = models.TextField(_("beskrivning av problemet"), max_length=5000)
    page_url = models.CharField(_("sida"), max_length=500, blank=True)
    name = models.CharField(_("namn"), max_length=200, blank=True)
    email = models.EmailField(_("e-postadress"), blank=True)
    language = models.CharField(_("språk"), max_length=5, default="sv")
    handled_at = models.DateTimeField(_("hanterad"), null=True, blank=True)
    staff_note = models.TextField(_("anteckning från personal"), blank=True)

    class Meta:
        verbose_name = _("rapport om tillgänglighetsproblem")
        verbose_name_plural = _("rapporter om tillgänglighetsproblem")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.description[:60]}"
