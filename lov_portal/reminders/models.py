from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lov_portal.core.models import reference, unique


class ReminderStatus(models.TextChoices):
    PENDING = "pending", _("Väntar")
    SENDING = "sending", _("Skickas")
    SENT = "sent", _("Skickad")
    FAILED = "failed", _("Misslyckades")


class Reminder(models.Model):
    """One reminder to one person about one thing, due on one day.

    The unique constraint makes the reminder exist once however often the scheduler runs;
    the status and the claim make it be sent once however many workers run.
    """

    kind = models.CharField(_("typ"), max_length=50)
    content_type = reference(ContentType, _("objekttyp"), on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField(_("objekt"))
    target = GenericForeignKey("content_type", "object_id")
    recipient = reference(
        settings.AUTH_USER_MODEL, _("mottagare"), on_delete=models.CASCADE, related_name="reminders"
    )
    due_on = models.DateField(_("förfallodag"))
    status = models.CharField(
        _("status"), max_length=10, choices=ReminderStatus.choices, default=ReminderStatus.PENDING
    )
    # A claim is a lease: a worker that dies mid-send lets it expire and another takes over.
    claim_token = models.CharField(_("anspråk"), max_length=32, blank=True)
    claimed_until = models.DateTimeField(_("anspråk gäller till"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("försök"), default=0)
    last_error = models.TextField(_("senaste fel"), blank=True)
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    sent_at = models.DateTimeField(_("skickad"), null=True, blank=True)

    class Meta:
        verbose_name = _("påminnelse")
        verbose_name_plural = _("påminnelser")
        ordering = ["-created_at", "-pk"]
        constraints = [
            unique(
                "reminder_unique_key", "kind", "content_type", "object_id", "recipient", "due_on"
            )
        ]
        indexes = [
            models.Index(
                fields=["status", "claimed_until"],
                condition=Q(status__in=["pending", "sending"]),
                name="reminder_open_idx",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.content_type_id}:{self.object_id} → {self.recipient_id}"


class ReminderOptOut(models.Model):
    """A user's choice not to receive one kind of reminder."""

    user = reference(
        settings.AUTH_USER_MODEL,
        _("användare"),
        on_delete=models.CASCADE,
        related_name="reminder_opt_outs",
    )
    kind = models.CharField(_("typ"), max_length=50)
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)

    class Meta:
        verbose_name = _("avstängd påminnelse")
        verbose_name_plural = _("avstängda påminnelser")
        constraints = [unique("reminderoptout_unique", "user", "kind")]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.kind}"
