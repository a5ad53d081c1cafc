"""The cooperation group, its meetings and minutes.

One module although it is longer than ~400 lines (issue 17), on purpose: it holds declarations
(fields, constraints, `clean()`, the one `serving_on` QuerySet method), read top-down in the
order of a meeting's life (group, meeting, agenda, minutes, the append-only records of their
approval, attachments); the models point at each other both ways (`Minutes.current_revision`
and `MinutesRevision.minutes`), and migration 0002 names `meetings.models.attachment_upload_to`,
which a package would have to keep defined in its `__init__` for the migrations not to change.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from agreements.models import Agreement
from lov_portal.core.choices import PartySide
from lov_portal.core.models import (
    AppendOnlyModel,
    optional_reference,
    reference,
    unique,
    user_reference,
)
from lov_portal.core.uploads import private_upload_to
from organisations.models import Organisation

MINIMUM_MEETINGS_PER_YEAR = 4


def _reference(
    to: type[models.Model] | str,
    verbose_name: str,
    *,
    on_delete: Callable[..., None] = models.PROTECT,
    related_name: str = "+",
    **options: object,
) -> models.ForeignKey:
    """A reference in this app's shape: protected unless said otherwise, and no reverse
    accessor unless named."""
    return reference(to, verbose_name, on_delete=on_delete, related_name=related_name, **options)


def _person(verbose_name: str, **options: object) -> models.ForeignKey:
    """A reference to an account: who sits, chairs, sent, published, uploaded."""
    return _reference(settings.AUTH_USER_MODEL, verbose_name, **options)


class CooperationGroup(models.Model):
    """Samverkansgruppen: equal numbers from each party; one per agreement."""

    agreement = reference(
        Agreement,
        _("överenskommelse"),
        on_delete=models.PROTECT,
        related_name="cooperation_group",
        field=models.OneToOneField,
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


class GroupMemberQuerySet(models.QuerySet):
    """The one answer to "who served in the group on day X" (a term includes its last day)."""

    def serving_on(self, day: datetime.date) -> GroupMemberQuerySet:
        return self.filter(term_start__lte=day).exclude(term_end__lt=day)


class GroupMember(models.Model):
    group = reference(
        CooperationGroup, _("grupp"), on_delete=models.CASCADE, related_name="members"
    )
    user = _person(_("person"), related_name="group_memberships")
    organisation = optional_reference(Organisation, _("organisation"), related_name="group_members")
    side = models.CharField(_("part"), max_length=20, choices=PartySide.choices)
    role = models.CharField(
        _("roll"), max_length=20, choices=MemberRole.choices, default=MemberRole.MEMBER
    )
    term_start = models.DateField(_("mandat från"))
    term_end = models.DateField(_("mandat till"), null=True, blank=True)

    objects = GroupMemberQuerySet.as_manager()

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
    group = reference(
        CooperationGroup, _("grupp"), on_delete=models.PROTECT, related_name="meetings"
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
    is_internal = models.BooleanField(
        _("internt möte"),
        default=False,
        help_text=_("Plats och dagordning visas bara för gruppen, inte för allmänheten."),
    )
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


class CalendarToken(models.Model):
    """The secret in a member's private calendar feed address. Renewing replaces it."""

    user = reference(
        settings.AUTH_USER_MODEL,
        _("person"),
        on_delete=models.CASCADE,
        related_name="meeting_calendar_token",
        field=models.OneToOneField,
    )
    token = models.CharField(_("hemlig nyckel"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("skapad"), auto_now=True)

    class Meta:
        verbose_name = _("kalendernyckel")
        verbose_name_plural = _("kalendernycklar")

    def __str__(self) -> str:
        return str(self.user)


class AgendaItem(models.Model):
    """A numbered point on a meeting's agenda (dagordning), prepared by the secretary."""

    meeting = reference(Meeting, _("möte"), on_delete=models.CASCADE, related_name="agenda_items")
    position = models.PositiveSmallIntegerField(_("punkt"))
    title = models.CharField(_("rubrik"), max_length=300)
    description = models.TextField(_("beskrivning"), blank=True)
    # Cleaned by lov_portal.core.text.rich_text_clean wherever they are written (the admin too).
    rich_text_fields = ("description",)

    class Meta:
        verbose_name = _("punkt på dagordningen")
        verbose_name_plural = _("punkter på dagordningen")
        ordering = ["meeting", "position"]
        constraints = [unique("agendaitem_unique_position", "meeting", "position")]

    def __str__(self) -> str:
        return f"{self.position}. {self.title}"


class MinutesStatus(models.TextChoices):
    DRAFT = "draft", _("Utkast")
    SENT = "sent", _("Skickat för justering")
    APPROVED = "approved", _("Justerat")
    PUBLISHED = "published", _("Publicerat")


class Minutes(models.Model):
    """The protokoll of one meeting. Editable only as a draft; approved content is kept in
    append-only revisions (`MinutesRevision`), so a correction never overwrites what was
    approved."""

    meeting = reference(
        Meeting,
        _("möte"),
        on_delete=models.PROTECT,
        related_name="minutes",
        field=models.OneToOneField,
    )
    status = models.CharField(
        _("status"), max_length=20, choices=MinutesStatus.choices, default=MinutesStatus.DRAFT
    )
    chair = _person(_("ordförande"), null=True, blank=True)
    secretary = _person(_("sekreterare"), null=True, blank=True)
    checkers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("justerare"),
        blank=True,
        related_name="minutes_to_check",
    )
    other_participants = models.TextField(_("övriga deltagare"), blank=True)
    # The reason for the correction being drafted; empty for the first version.
    pending_correction_reason = models.TextField(_("skäl till rättelse"), blank=True)
    current_revision = _reference("MinutesRevision", _("aktuell revision"), null=True, blank=True)
    published_revision = _reference(
        "MinutesRevision", _("publicerad revision"), null=True, blank=True
    )
    created_at = models.DateTimeField(_("skapat"), auto_now_add=True)
    updated_at = models.DateTimeField(_("ändrat"), auto_now=True)

    class Meta:
        verbose_name = _("protokoll")
        verbose_name_plural = _("protokoll")

    def __str__(self) -> str:
        return _("Protokoll från %(meeting)s") % {"meeting": self.meeting}

    @property
    def is_editable(self) -> bool:
        return self.status == MinutesStatus.DRAFT


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("Närvarande")
    ABSENT = "absent", _("Frånvarande")
    DEPUTY_SERVING = "deputy", _("Tjänstgörande ersättare")


class Attendance(models.Model):
    minutes = reference(
        Minutes, _("protokoll"), on_delete=models.CASCADE, related_name="attendance"
    )
    member = reference(GroupMember, _("ledamot"), on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("närvaro"), max_length=20, choices=AttendanceStatus.choices)
    serving_for = _reference(GroupMember, _("tjänstgör för"), null=True, blank=True)

    class Meta:
        verbose_name = _("närvaro")
        verbose_name_plural = _("närvaro")
        ordering = ["minutes", "member__side", "member__role", "member__pk"]
        constraints = [unique("attendance_unique_member", "minutes", "member")]

    def __str__(self) -> str:
        return f"{self.member}: {self.get_status_display()}"


class ParagraphCounter(models.Model):
    """The last § number used by a group in a calendar year. Locked while a number is taken."""

    group = models.ForeignKey(CooperationGroup, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [unique("paragraphcounter_unique_year", "group", "year")]

    def __str__(self) -> str:
        return f"{self.group_id} {self.year}: {self.last_number}"


class MinutesItem(models.Model):
    """One § of the minutes. The number runs through the group's calendar year."""

    minutes = reference(Minutes, _("protokoll"), on_delete=models.CASCADE, related_name="items")
    group = models.ForeignKey(CooperationGroup, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("år"))
    number = models.PositiveIntegerField(_("paragraf"))
    agenda_item = optional_reference(
        AgendaItem, _("punkt på dagordningen"), related_name="minutes_items"
    )
    heading = models.CharField(_("rubrik"), max_length=300)
    notes = models.TextField(_("anteckningar"), blank=True)
    decision = models.TextField(_("beslut"), blank=True)
    rich_text_fields = ("notes", "decision")
    commitments = models.ManyToManyField(
        "commitments.Commitment",
        verbose_name=_("berörda åtaganden"),
        blank=True,
        related_name="minutes_items",
    )
    commitment_status = models.CharField(
        _("ny status för åtagandena"),
        max_length=20,
        blank=True,
        help_text=_("Lämna tomt om beslutet inte ändrar åtagandenas status."),
    )
    # The updates this decision has posted, so approving a correction never posts them twice.
    status_updates = models.ManyToManyField(
        "commitments.StatusUpdate",
        verbose_name=_("statusuppdateringar"),
        blank=True,
        related_name="minutes_items",
    )

    class Meta:
        verbose_name = _("paragraf")
        verbose_name_plural = _("paragrafer")
        ordering = ["minutes", "number"]
        constraints = [unique("minutesitem_unique_number_per_year", "group", "year", "number")]

    def __str__(self) -> str:
        return f"§ {self.number} {self.heading}"


class DecisionAction(models.Model):
    """An action (åtgärd) a decision creates: what, who and by when.

    This is the decision's draft of the action. When the minutes are approved it becomes a real
    commitments.Action (linked in `action`), created once however often the minutes are approved."""

    item = reference(MinutesItem, _("paragraf"), on_delete=models.CASCADE, related_name="actions")
    text = models.CharField(_("åtgärd"), max_length=500)
    owner = user_reference(_("ansvarig"), related_name="meeting_actions")
    due_on = models.DateField(_("klart senast"), null=True, blank=True)
    # Where the action belongs in the follow-up: a commitment, or a principle as a whole.
    commitment = _reference("commitments.Commitment", _("åtagande"), null=True, blank=True)
    principle = _reference("agreements.Principle", _("princip"), null=True, blank=True)
    # The commitments app's Action this decision created when the minutes were approved.
    action = optional_reference(
        "commitments.Action", _("åtgärd i uppföljningen"), field=models.OneToOneField
    )

    class Meta:
        verbose_name = _("åtgärd")
        verbose_name_plural = _("åtgärder")
        ordering = ["item", "due_on", "pk"]

    def __str__(self) -> str:
        return self.text


class RevisionKind(models.TextChoices):
    FIRST = "first", _("Första versionen")
    AFTER_RETURN = "after_return", _("Efter återremiss till sekreteraren")
    CORRECTION = "correction", _("Rättelse")


class MinutesRevision(AppendOnlyModel):
    """The content of the minutes exactly as sent for approval. Never changed.

    `content` is the rendered document (attendance, items, decisions, attachments) as JSON, so
    what the checkers approved can always be shown again, whatever happens to the draft."""

    minutes = reference(Minutes, _("protokoll"), on_delete=models.PROTECT, related_name="revisions")
    number = models.PositiveIntegerField(_("revision"))
    kind = models.CharField(_("typ"), max_length=20, choices=RevisionKind.choices)
    reason = models.TextField(_("skäl"), blank=True)
    content = models.JSONField(_("innehåll"))
    created_by = _person(_("skickad av"), on_delete=models.SET_NULL, null=True)
    created_at = models.DateTimeField(_("skickad"), auto_now_add=True)

    class Meta:
        verbose_name = _("revision av protokoll")
        verbose_name_plural = _("revisioner av protokoll")
        ordering = ["minutes", "number"]
        constraints = [unique("minutesrevision_unique_number", "minutes", "number")]

    def __str__(self) -> str:
        return f"{self.minutes_id} r{self.number}"


class ApprovalDecision(models.TextChoices):
    APPROVED = "approved", _("Justerat")
    RETURNED = "returned", _("Återsänt med kommentar")


class MinutesApproval(AppendOnlyModel):
    """A checker's or the chair's answer on one revision: approved, or returned with a comment."""

    revision = reference(
        MinutesRevision, _("revision"), on_delete=models.PROTECT, related_name="approvals"
    )
    user = _person(_("person"), related_name="minutes_approvals")
    role = models.CharField(_("roll"), max_length=20)
    decision = models.CharField(_("beslut"), max_length=20, choices=ApprovalDecision.choices)
    comment = models.TextField(_("kommentar"), blank=True)
    created_at = models.DateTimeField(_("tidpunkt"), auto_now_add=True)

    class Meta:
        verbose_name = _("justering")
        verbose_name_plural = _("justeringar")
        ordering = ["revision", "created_at", "pk"]
        constraints = [unique("minutesapproval_one_per_person_per_revision", "revision", "user")]

    def __str__(self) -> str:
        return f"{self.user} {self.get_decision_display()}"


class MinutesPublication(AppendOnlyModel):
    """When a revision was made public, and by whom."""

    revision = reference(
        MinutesRevision,
        _("revision"),
        on_delete=models.PROTECT,
        related_name="publication",
        field=models.OneToOneField,
    )
    published_by = _person(_("publicerad av"), on_delete=models.SET_NULL, null=True)
    published_at = models.DateTimeField(_("publicerad"), auto_now_add=True)

    class Meta:
        verbose_name = _("publicering")
        verbose_name_plural = _("publiceringar")

    def __str__(self) -> str:
        return f"{self.revision} {self.published_at:%Y-%m-%d}"


class MinutesPdf(AppendOnlyModel):
    """The PDF of a published revision in one language, rendered once (by a task when the
    minutes are published) and served from storage afterwards, with its SHA-256.

    Published minutes never change: a correction is a new revision with its own file."""

    revision = reference(
        MinutesRevision, _("revision"), on_delete=models.PROTECT, related_name="pdfs"
    )
    language = models.CharField(_("språk"), max_length=8)
    file = models.FileField(_("fil"), upload_to=private_upload_to("minutes-pdf"), max_length=200)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveIntegerField(_("storlek i byte"))
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)

    class Meta:
        verbose_name = _("protokoll som PDF")
        verbose_name_plural = _("protokoll som PDF")
        constraints = [unique("minutespdf_one_per_revision_and_language", "revision", "language")]

    def __str__(self) -> str:
        return f"{self.revision} {self.language}"


def attachment_upload_to(instance: Attachment, filename: str) -> str:
    # The stored name is generated by the server; the uploaded name is only kept as data.
    import uuid

    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"meetings/attachments/{uuid.uuid4().hex}.{extension}"


class Attachment(models.Model):
    """A document (bilaga) on a meeting: on an agenda item or referenced from a § of the minutes."""

    meeting = reference(Meeting, _("möte"), on_delete=models.PROTECT, related_name="attachments")
    agenda_item = optional_reference(
        AgendaItem, _("punkt på dagordningen"), related_name="attachments"
    )
    minutes_item = optional_reference(MinutesItem, _("paragraf"), related_name="attachments")
    title = models.CharField(_("rubrik"), max_length=200)
    file = models.FileField(_("fil"), upload_to=attachment_upload_to, max_length=200)
    original_name = models.CharField(_("ursprungligt filnamn"), max_length=255)
    content_type = models.CharField(_("filtyp"), max_length=100)
    size = models.PositiveIntegerField(_("storlek i byte"))
    uploaded_by = _person(_("uppladdad av"), on_delete=models.SET_NULL, null=True)
    uploaded_at = models.DateTimeField(_("uppladdad"), auto_now_add=True)

    class Meta:
        verbose_name = _("bilaga")
        verbose_name_plural = _("bilagor")
        ordering = ["meeting", "uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.title
