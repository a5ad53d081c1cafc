from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from agreements.models import Agreement
from lov_portal.core.choices import PartySide
from organisations.models import Organisation

MINIMUM_MEETINGS_PER_YEAR = 4


class CooperationGroup(models.Model):
    """Samverkansgruppen: equal numbers from each party; one per agreement."""

    agreement = models.OneToOneField(
        Agreement,
        verbose_name=_("överenskommelse"),
        on_delete=models.PROTECT,
        related_name="cooperation_group",
    )
    name = models.CharField(_("namn"), max_length=200)
    mandate = models.JSONField(
        _("uppdrag"), default=list, blank=True, help_text=_("Uppdragets punkter, en per rad.")
    )

    class Meta:
        verbose_name = _("samverkansgrupp")
        verbose_name_plural = _("samverkansgrupper")

    def __str__(self) -> str:
        return self.name


class MemberRole(models.TextChoices):
    CHAIR = "chair", _("Ordförande")
    VICE_CHAIR = "vice_chair", _("Vice ordförande")
    SECRETARY = "secretary", _("Sekreterare")
    MEMBER = "member", _("Ledamot")
    DEPUTY = "deputy", _("Ersättare")


class GroupMember(models.Model):
    group = models.ForeignKey(
        CooperationGroup, verbose_name=_("grupp"), on_delete=models.CASCADE, related_name="members"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="group_memberships",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="group_members",
    )
    side = models.CharField(_("part"), max_length=20, choices=PartySide.choices)
    role = models.CharField(
        _("roll"), max_length=20, choices=MemberRole.choices, default=MemberRole.MEMBER
    )
    term_start = models.DateField(_("mandat från"))
    term_end = models.DateField(_("mandat till"), null=True, blank=True)

    class Meta:
        verbose_name = _("ledamot")
        verbose_name_plural = _("ledamöter")
        ordering = ["group", "side", "role", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(term_end__isnull=True) | Q(term_end__gte=F("term_start")),
                name="groupmember_term_end_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()}, {self.get_side_display()})"

    def clean(self) -> None:
        if self.term_end and self.term_start and self.term_end < self.term_start:
            raise ValidationError({"term_end": _("Mandatet kan inte sluta innan det börjar.")})


class MeetingKind(models.TextChoices):
    GROUP_MEETING = "group", _("Samverkansgruppens möte")
    DIALOGUE = "dialogue", _("Dialogmöte")
    FOLLOW_UP_CONFERENCE = "follow_up", _("Årlig uppföljningskonferens")
    REVIEW = "review", _("Översynsmöte")


class Meeting(models.Model):
    group = models.ForeignKey(
        CooperationGroup, verbose_name=_("grupp"), on_delete=models.PROTECT, related_name="meetings"
    )
    kind = models.CharField(
        _("typ av möte"),
        max_length=20,
        choices=MeetingKind.choices,
        default=MeetingKind.GROUP_MEETING,
    )
    title = models.CharField(_("rubrik"), max_length=200, blank=True)
    starts_at = models.DateTimeField(_("börjar"))
    ends_at = models.DateTimeField(_("slutar"))
    location = models.CharField(_("plats"), max_length=200, blank=True)
    online_url = models.URLField(_("länk till digitalt möte"), blank=True)
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)

    class Meta:
        verbose_name = _("möte")
        verbose_name_plural = _("möten")
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="meeting_ends_after_start"
            )
        ]
        indexes = [models.Index(fields=["group", "starts_at"], name="meeting_group_start_idx")]

    def __str__(self) -> str:
        return self.title or f"{self.get_kind_display()} {self.starts_at:%Y-%m-%d}"

    def clean(self) -> None:
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("Mötet måste sluta efter att det börjar.")})
