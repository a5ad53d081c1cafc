"""The audit log: who did what, when and from where. Append-only."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from lov_portal.core.models import AppendOnlyModel, user_reference


class AuditEvent(AppendOnlyModel):
    # Cleared after the retention period (lov_portal.privacy); the one update the database allows.
    purgeable_fields = ("ip_address", "user_agent")

    actor = user_reference(_("vem"))
    action = models.CharField(_("händelse"), max_length=100, db_index=True)
    object_type = models.CharField(_("typ av objekt"), max_length=100, blank=True)
    object_id = models.CharField(_("objektets id"), max_length=64, blank=True)
    object_repr = models.CharField(_("objekt"), max_length=200, blank=True)
    data = models.JSONField(_("uppgifter"), default=dict, blank=True)
    ip_address = models.GenericIPAddressField(_("IP-adress"), null=True, blank=True)
    user_agent = models.CharField(_("webbläsare"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("tidpunkt"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("händelse i granskningsloggen")
        verbose_name_plural = _("granskningslogg")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["action", "-created_at"], name="audit_action_created_idx")]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action_label}"

    @property
    def action_label(self) -> str:
        from .actions import label

        return label(self.action)
