"""Append-only transparency logs: entries, and the signed checkpoints over them.

The log knows nothing of agreements: an entry is canonical JSON bytes. The app that writes a
log (agreements) decides what goes in an entry and recomputes entries from its own rows.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from lov_portal.core.models import AppendOnlyModel, unique


class Log(AppendOnlyModel):
    """One public log. `origin` is the checkpoint's first line, fixed when the log is made
    (the row is never changed or deleted: the database refuses it)."""

    name = models.SlugField(_("namn"), max_length=50, unique=True)
    origin = models.CharField(_("ursprung"), max_length=200, unique=True)
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)

    class Meta:
        verbose_name = _("logg")
        verbose_name_plural = _("loggar")

    def __str__(self) -> str:
        return self.origin


class LogEntry(AppendOnlyModel):
    """One leaf: the exact bytes published (UTF-8 canonical JSON) and their RFC 9162 hash."""

    log = models.ForeignKey(Log, on_delete=models.PROTECT, related_name="entries")
    index = models.PositiveBigIntegerField(_("index"))
    data = models.TextField(_("post"))
    leaf_hash = models.CharField(_("lövhash"), max_length=64)
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)

    class Meta:
        verbose_name = _("loggpost")
        verbose_name_plural = _("loggposter")
        ordering = ["log", "index"]
        constraints = [unique("tlog_entry_unique_index", "log", "index")]

    def __str__(self) -> str:
        return f"{self.log_id}#{self.index}"


class Checkpoint(AppendOnlyModel):
    """A signed checkpoint (C2SP tlog-checkpoint as a signed note). Every one is kept."""

    log = models.ForeignKey(Log, on_delete=models.PROTECT, related_name="checkpoints")
    size = models.PositiveBigIntegerField(_("storlek"))
    root_hash = models.CharField(_("rothash"), max_length=64)
    note = models.TextField(_("signerad checkpoint"))
    key_vkey = models.CharField(_("verifieringsnyckel"), max_length=200)
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)

    class Meta:
        verbose_name = _("checkpoint")
        verbose_name_plural = _("checkpoints")
        ordering = ["log", "size"]
        get_latest_by = "size"
        constraints = [unique("tlog_checkpoint_unique_size_key", "log", "size", "key_vkey")]

    def __str__(self) -> str:
        return f"{self.log_id}@{self.size}"


class PrivateCommitment(AppendOnlyModel):
    """The private half of an entry: per-field salted digests and their salts. Never published.

    The entry publishes SHA-256 of the canonical JSON of `digests`; disclosing a field's value
    and salt proves it against that. `purgeable_salts` holds the salts of fields that are
    erased after the retention period (IP address, user agent): the purge empties it, so the
    erased value can no longer be guessed from its digest, while the digests, and so the public
    entry, stay intact.
    """

    entry = models.OneToOneField(LogEntry, on_delete=models.PROTECT, related_name="private")
    digests = models.TextField(_("kontrollsummor"))
    salts = models.TextField(_("salt"))
    purgeable_salts = models.TextField(_("salt för uppgifter som gallras"), blank=True)

    purgeable_fields = ("purgeable_salts",)

    class Meta:
        verbose_name = _("privat åtagande")
        verbose_name_plural = _("privata åtaganden")

    def __str__(self) -> str:
        return str(self.entry_id)
