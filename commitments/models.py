from __future__ import annotations

from django.conf import settings
from django.core.validators import FileExtensionValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agreements.models import ParticipationLevel, Principle
from lov_portal.core.choices import ResponsibleSide
from lov_portal.core.models import AppendOnlyModel, ChoiceLabels, reference, user_reference
from lov_portal.core.text import shortened
from lov_portal.core.uploads import UploadPolicy, extension_of
from organisations.models import Organisation

# Evidence people attach to an update: documents and images, nothing executable.
ATTACHMENT_EXTENSIONS = [
    "pdf",
    "docx",
    "xlsx",
    "pptx",
    "odt",
    "ods",
    "txt",
    "csv",
    "png",
    "jpg",
    "jpeg",
]
ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
# What an attachment must contain: the portal's one upload policy (lov_portal.core.uploads).
ATTACHMENT_POLICY = UploadPolicy(
    extensions=tuple(ATTACHMENT_EXTENSIONS), max_bytes=ATTACHMENT_MAX_BYTES
)


class CommitmentStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Ej påbörjat")
    IN_PROGRESS = "in_progress", _("Pågår")
    ACHIEVED = "achieved", _("Uppnått")
    ONGOING = "ongoing", _("Löpande arbete")
    STALLED = "stalled", _("Avstannat")


class Commitment(ChoiceLabels, models.Model):
    """An åtagande under one principle of an agreement."""

    principle = reference(
        Principle, _("princip"), on_delete=models.PROTECT, related_name="commitments"
    )
    order = models.PositiveSmallIntegerField(_("ordning"), default=0)
    text = models.TextField(_("text"))
    source_key = models.CharField(
        _("källa"),
        max_length=50,
        blank=True,
        help_text=_("Var i överenskommelsens text åtagandet står, t.ex. v1:1.3."),
    )
    responsible_side = models.CharField(
        _("ansvarig part"), max_length=20, choices=ResponsibleSide.choices
    )
    responsible_units = models.CharField(
        _("ansvariga enheter"),
        max_length=300,
        blank=True,
        help_text=_("Till exempel ”varje nämnd inom regionen”."),
    )
    responsible_organisations = models.ManyToManyField(
        Organisation,
        verbose_name=_("ansvariga organisationer"),
        blank=True,
        related_name="commitments",
    )
    owners = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("rapportörer"),
        blank=True,
        related_name="owned_commitments",
    )
    participation_level = models.CharField(
        _("nivå för medverkan"), max_length=20, choices=ParticipationLevel.choices, blank=True
    )
    # The latest PUBLIC status update's status and time, kept here by the service that writes
    # the update (internal updates never change what the public sees).
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=CommitmentStatus.choices,
        default=CommitmentStatus.NOT_STARTED,
    )
    last_update_at = models.DateTimeField(_("senast uppdaterad"), null=True, blank=True)
    target_date = models.DateField(_("måldatum"), null=True, blank=True)
    retired_at = models.DateTimeField(_("avslutat"), null=True, blank=True)
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)

    class Meta:
        verbose_name = _("åtagande")
        verbose_name_plural = _("åtaganden")
        ordering = ["principle__order", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["principle", "source_key"],
                condition=~Q(source_key=""),
                name="commitment_unique_source_key",
            )
        ]
        indexes = [
            models.Index(fields=["status"], name="commitment_status_idx"),
            models.Index(fields=["responsible_side"], name="commitment_side_idx"),
        ]

    def __str__(self) -> str:
        return shortened(self.text)


class StatusUpdate(ChoiceLabels, AppendOnlyModel):
    """A report on a commitment. Append-only: a correction is a new update that names the old."""

    commitment = reference(
        Commitment, _("åtagande"), on_delete=models.PROTECT, related_name="updates"
    )
    status = models.CharField(_("status"), max_length=20, choices=CommitmentStatus.choices)
    narrative = models.TextField(_("beskrivning"), blank=True)
    refers_to = models.DateField(_("avser datum"))
    author = user_reference(_("författare"), related_name="status_updates")
    corrects = reference(
        "self",
        _("rättar"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrections",
    )
    is_internal = models.BooleanField(
        _("intern"), default=False, help_text=_("Interna uppdateringar visas inte för allmänheten.")
    )
    links = models.TextField(
        _("länkar"), blank=True, help_text=_("Underlag som styrker uppdateringen, en länk per rad.")
    )
    attachment = models.FileField(
        _("bilaga"),
        upload_to="status_updates/%Y/%m/",
        blank=True,
        validators=[
            FileExtensionValidator(ATTACHMENT_EXTENSIONS),
        ],
        help_text=_("Underlag, t.ex. en rapport eller ett protokoll (högst 10 MB)."),
    )
    # A default rather than auto_now_add, so an import or the demo can record when an update was
    # really made: the row can never be corrected afterwards (append-only, enforced by a trigger).
    created_at = models.DateTimeField(
        _("skapad"), default=timezone.now, editable=False, db_index=True
    )

    class Meta:
        verbose_name = _("statusuppdatering")
        verbose_name_plural = _("statusuppdateringar")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["commitment", "-created_at"], name="statusupdate_latest_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.commitment_id}: {self.get_status_display()} ({self.refers_to})"

    @property
    def attachment_name(self) -> str:
        """The name a download gets: made by the server, like the stored name."""
        if not self.attachment:
            return ""
        return f"underlag-{self.pk}.{extension_of(self.attachment.name)}"

    @property
    def link_list(self) -> list[str]:
        return [line.strip() for line in self.links.splitlines() if line.strip()]


class ActionStatus(models.TextChoices):
    PROPOSED = "proposed", _("Föreslagen")
    PLANNED = "planned", _("Planerad")
    IN_PROGRESS = "in_progress", _("Pågår")
    DONE = "done", _("Genomförd")
    CANCELLED = "cancelled", _("Avbruten")


# Actions in these states are finished: they are never overdue.
ACTION_CLOSED_STATUSES = (ActionStatus.DONE, ActionStatus.CANCELLED)


class Action(ChoiceLabels, models.Model):
    """An åtgärd: a concrete step under a commitment or, more broadly, under a principle."""

    principle = reference(Principle, _("princip"), on_delete=models.PROTECT, related_name="actions")
    commitment = reference(
        Commitment,
        _("åtagande"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="actions",
    )
    order = models.PositiveSmallIntegerField(_("ordning"), default=0)
    title = models.TextField(_("åtgärd"))
    description = models.TextField(_("beskrivning"), blank=True)
    owner = user_reference(_("ansvarig"), related_name="owned_actions")
    due_date = models.DateField(_("klart senast"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ActionStatus.choices, default=ActionStatus.PROPOSED
    )
    source = models.CharField(
        _("källa"),
        max_length=200,
        blank=True,
        help_text=_("Var åtgärden föreslogs, t.ex. dialogmötet den 26 mars 2014."),
    )
    source_key = models.CharField(_("källnyckel"), max_length=50, blank=True)
    retired_at = models.DateTimeField(_("avslutad"), null=True, blank=True)
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)

    class Meta:
        verbose_name = _("åtgärd")
        verbose_name_plural = _("åtgärder")
        ordering = ["principle__order", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["principle", "source_key"],
                condition=~Q(source_key=""),
                name="action_unique_source_key",
            )
        ]
        indexes = [models.Index(fields=["status", "due_date"], name="action_status_due_idx")]

    def __str__(self) -> str:
        return shortened(self.title)


class DevelopmentArea(models.Model):
    """An utvecklingsområde identified by the cooperation group."""

    agreement = reference(
        "agreements.Agreement",
        _("överenskommelse"),
        on_delete=models.CASCADE,
        related_name="development_areas",
    )
    name = models.CharField(_("namn"), max_length=200)
    description = models.TextField(_("beskrivning"), blank=True)
    identified_on = models.DateField(_("identifierat"), null=True, blank=True)
    commitments = models.ManyToManyField(
        Commitment, verbose_name=_("åtaganden"), blank=True, related_name="development_areas"
    )
    actions = models.ManyToManyField(
        Action, verbose_name=_("åtgärder"), blank=True, related_name="development_areas"
    )
    order = models.PositiveSmallIntegerField(_("ordning"), default=0)
    retired_at = models.DateTimeField(_("avslutat"), null=True, blank=True)
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)

    class Meta:
        verbose_name = _("utvecklingsområde")
        verbose_name_plural = _("utvecklingsområden")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name
