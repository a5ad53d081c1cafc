"""Agreements, their versions and principles, signatures (append-only evidence) and
withdrawals.

Longer than 400 lines on purpose: the models of one aggregate (an agreement, its versions
and the signatures chained to them) with their invariants side by side.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from lov_portal.core.models import AppendOnlyModel, reference, unique, user_reference
from lov_portal.tlog.models import LogEntry
from organisations.models import Organisation

from .text import text_sha256

REVIEW_INTERVAL_YEARS = 5


def add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def log_entry_field(**options: object) -> models.OneToOneField:
    """The row's entry in the public evidence log (lov_portal.tlog), empty until it is logged
    (agreements.evidence); an entry belongs to one row and is never deleted while it does."""
    return reference(
        LogEntry,
        _("loggpost"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        field=models.OneToOneField,
        **options,
    )


class ParticipationLevel(models.TextChoices):
    """The Council of Europe's four levels of civil participation, shallow to deep."""

    INFORMATION = "information", _("Information")
    CONSULTATION = "consultation", _("Samråd")
    DIALOGUE = "dialogue", _("Dialog")
    PARTNERSHIP = "partnership", _("Partnerskap")


PARTICIPATION_LEVEL_DESCRIPTIONS = {
    ParticipationLevel.INFORMATION: _(
        "Innebär i regel en enkelriktad information från myndigheten/det offentliga."
    ),
    ParticipationLevel.CONSULTATION: _(
        "Initiativet tas av den offentliga parten, som efterfrågar inspel från "
        "organisationer i särskilda politiska frågor."
    ),
    ParticipationLevel.DIALOGUE: _(
        "En bred återkommande dialog som bygger på gemensamma intressen, eller en samverkande "
        "dialog som konkret syftar till att utveckla ett politikområde eller lösa ett gemensamt "
        "problem. Initiativ kan tas av båda parter."
    ),
    ParticipationLevel.PARTNERSHIP: _(
        "Förutsätter ett delat ansvar i varje steg i den politiska beslutsprocessen, till "
        "exempel att en uppgift delegeras till en idéburen organisation."
    ),
}


class Agreement(models.Model):
    """A written agreement on cooperation; the portal may hold several."""

    slug = models.SlugField(_("kortnamn"), max_length=50, unique=True)
    name = models.CharField(_("namn"), max_length=200)
    short_name = models.CharField(_("förkortning"), max_length=30, blank=True)
    public_party_name = models.CharField(_("offentlig part"), max_length=200)
    civil_society_party_name = models.CharField(_("idéburen part"), max_length=200)
    summary = models.TextField(_("sammanfattning"), blank=True)
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)

    class Meta:
        verbose_name = _("överenskommelse")
        verbose_name_plural = _("överenskommelser")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.short_name or self.name


class AgreementVersion(models.Model):
    """One adopted wording of an agreement. Signatures belong to a version.

    While it is current, and for ever once `published_at` is set (made current through the
    service, or signed), its wording is frozen: a database trigger (lov_portal.core.triggers)
    refuses any change to `frozen_fields`, any change to a set `published_at`, and deleting it.
    A new text is always a new version.
    """

    frozen_fields = ("number", "text", "text_sha256", "agreement_id")
    published_field = "published_at"
    current_field = "is_current"

    agreement = reference(
        Agreement, _("överenskommelse"), on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveIntegerField(_("versionsnummer"))
    text = models.TextField(_("text"))
    text_sha256 = models.CharField(_("SHA-256 av texten"), max_length=64, editable=False)
    adopted_on = models.DateField(_("antagen"), null=True, blank=True)
    effective_from = models.DateField(_("gäller från"), null=True, blank=True)
    review_due_on = models.DateField(
        _("översyn senast"),
        null=True,
        blank=True,
        help_text=_("Överenskommelsen ses över minst vart femte år."),
    )
    is_current = models.BooleanField(_("gällande version"), default=False)
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    # Set once, when the version is first published (made current); from then on its number,
    # text and text hash never change (docs/evidence.md).
    published_at = models.DateTimeField(_("publicerad"), null=True, blank=True, editable=False)
    log_entry = log_entry_field(editable=False)

    class Meta:
        verbose_name = _("version av överenskommelse")
        verbose_name_plural = _("versioner av överenskommelser")
        ordering = ["agreement", "-number"]
        constraints = [
            unique("agreementversion_unique_number", "agreement", "number"),
            models.UniqueConstraint(
                fields=["agreement"],
                condition=Q(is_current=True),
                name="agreementversion_one_current",
            ),
            models.CheckConstraint(
                condition=Q(review_due_on__gt=models.F("effective_from")),
                name="agreementversion_review_after_effective",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agreement} v{self.number}"

    def save(self, *args: object, **kwargs: object) -> None:
        # The hash always describes the stored text; it is never set by hand.
        self.text_sha256 = text_sha256(self.text)
        super().save(*args, **kwargs)

    def clean(self) -> None:
        if self.effective_from and self.review_due_on:
            latest = add_years(self.effective_from, REVIEW_INTERVAL_YEARS)
            if self.review_due_on > latest:
                raise ValidationError(
                    {
                        "review_due_on": _(
                            "Översyn ska göras minst vart femte år, alltså senast %(date)s."
                        )
                        % {"date": latest.isoformat()}
                    }
                )

    @property
    def is_published(self) -> bool:
        """Current now, or published once (logged, signed): the wording is frozen."""
        return self.published_at is not None or self.is_current


class Principle(models.Model):
    """One of the agreement's principles, with the national text and the regional reading."""

    agreement = reference(
        Agreement, _("överenskommelse"), on_delete=models.CASCADE, related_name="principles"
    )
    order = models.PositiveSmallIntegerField(_("ordning"))
    key = models.SlugField(_("nyckel"), max_length=50)
    name = models.CharField(_("namn"), max_length=200)
    name_en = models.CharField(_("namn på engelska"), max_length=200, blank=True)
    national_text = models.TextField(_("nationell text"), blank=True)
    regional_text = models.TextField(_("regional tolkning"), blank=True)

    class Meta:
        verbose_name = _("princip")
        verbose_name_plural = _("principer")
        ordering = ["agreement", "order"]
        constraints = [
            unique("principle_unique_order", "agreement", "order"),
            unique("principle_unique_key", "agreement", "key"),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        """The name in the active language (the agreement's texts stay Swedish)."""
        if get_language() == "en" and self.name_en:
            return self.name_en
        return self.name


class SignatureKind(models.TextChoices):
    ONLINE = "online", _("Undertecknad i portalen")
    DECISION = "decision", _("Beslut i beslutande organ")


class SignatureMethod(models.TextChoices):
    """How an online signature was made. Empty for decisions and for signatures made before the
    method was recorded (all of them by password and second factor)."""

    PASSWORD = "password", _("Namn, lösenord och tvåstegsverifiering")
    BANKID = "bankid", _("BankID")


class Signature(AppendOnlyModel):
    """Evidence that an organisation signed an agreement version. Never updated or deleted.

    `round` counts earlier withdrawn signatures of the same organisation and version, so the
    unique constraint on (organisation, version, round) lets exactly one of two concurrent
    signings win while still allowing a new signature after a withdrawal.
    `previous_hash` and `record_hash` chain the register so tampering shows.
    `purgeable_fields` may be cleared after the retention period (the database allows that and
    nothing else: lov_portal.core.triggers).
    """

    purgeable_fields = ("ip_address", "user_agent")
    # Rows made before the log existed get their entry once (agreements.evidence backfill).
    set_once_fields = ("log_entry",)

    organisation = reference(
        Organisation, _("organisation"), on_delete=models.PROTECT, related_name="signatures"
    )
    agreement_version = reference(
        AgreementVersion, _("version"), on_delete=models.PROTECT, related_name="signatures"
    )
    round = models.PositiveIntegerField(_("omgång"), default=0)
    kind = models.CharField(
        _("typ"), max_length=20, choices=SignatureKind.choices, default=SignatureKind.ONLINE
    )
    method = models.CharField(
        _("metod"), max_length=20, choices=SignatureMethod.choices, blank=True, default=""
    )
    organisation_number = models.CharField(
        _("organisationsnummer vid undertecknandet"), max_length=11
    )
    organisation_name = models.CharField(
        _("organisationens namn vid undertecknandet"), max_length=200, blank=True
    )
    text_sha256 = models.CharField(_("SHA-256 av den undertecknade texten"), max_length=64)
    signer = user_reference(_("undertecknare"), related_name="signatures")
    signer_name = models.CharField(_("undertecknarens namn"), max_length=200, blank=True)
    signer_title = models.CharField(_("undertecknarens titel"), max_length=200, blank=True)
    authority_reference = models.CharField(_("beslut om behörighet"), max_length=200, blank=True)
    consent_text = models.TextField(_("bekräftelsetext som visades"), blank=True)
    decision_body = models.CharField(_("beslutande organ"), max_length=200, blank=True)
    decision_date = models.DateField(_("beslutsdatum"), null=True, blank=True)
    decision_reference = models.CharField(_("paragraf"), max_length=100, blank=True)
    signed_at = models.DateTimeField(_("undertecknad"))
    ip_address = models.GenericIPAddressField(_("IP-adress"), null=True, blank=True)
    user_agent = models.CharField(_("webbläsare"), max_length=500, blank=True)
    receipt_code = models.CharField(_("kvittokod"), max_length=32, unique=True)
    previous_hash = models.CharField(_("föregående posts hash"), max_length=64, blank=True)
    record_hash = models.CharField(_("postens hash"), max_length=64, unique=True)
    log_entry = log_entry_field()

    class Meta:
        verbose_name = _("underskrift")
        verbose_name_plural = _("underskrifter")
        ordering = ["signed_at", "pk"]
        constraints = [
            unique("signature_unique_round", "organisation", "agreement_version", "round"),
        ]
        indexes = [
            models.Index(
                fields=["agreement_version", "signed_at"], name="signature_version_date_idx"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id} → {self.agreement_version_id} ({self.signed_at:%Y-%m-%d})"


class Withdrawal(AppendOnlyModel):
    """An organisation's withdrawal (utträde) of a signature. The signature itself stays."""

    set_once_fields = ("log_entry",)  # see Signature

    signature = reference(
        Signature,
        _("underskrift"),
        on_delete=models.PROTECT,
        related_name="withdrawal",
        field=models.OneToOneField,
    )
    withdrawn_at = models.DateTimeField(_("utträde"))
    withdrawn_by = user_reference(_("anmält av"))
    reason = models.TextField(_("skäl"), blank=True)
    log_entry = log_entry_field()

    class Meta:
        verbose_name = _("utträde")
        verbose_name_plural = _("utträden")
        ordering = ["withdrawn_at"]

    def __str__(self) -> str:
        return f"{self.signature_id} ({self.withdrawn_at:%Y-%m-%d})"


class ReceiptDelivery(AppendOnlyModel):
    """That a signature's receipt e-mail was sent, and to whom: at most one per signature.

    Kept apart from the append-only Signature so the evidence record is never touched. The row
    is written in the same transaction as the sending, so a failed send leaves no row and a
    retry sends; a second run of the task finds the row (or waits on the unique index while the
    first run is sending) and sends nothing."""

    signature = reference(
        Signature,
        _("underskrift"),
        on_delete=models.PROTECT,
        related_name="receipt_delivery",
        field=models.OneToOneField,
    )
    recipient = models.EmailField(_("mottagare"))
    sent_at = models.DateTimeField(_("skickat"), auto_now_add=True)

    class Meta:
        verbose_name = _("skickat kvitto")
        verbose_name_plural = _("skickade kvitton")
        ordering = ["sent_at"]

    def __str__(self) -> str:
        return f"{self.signature_id} → {self.recipient}"


class SignatureReceipt(AppendOnlyModel):
    """A signature's sealed receipt PDF, made once and kept: the e-mail attaches it and the
    organisation downloads it again, always the same bytes (lov_portal.core.pdf.pdf_seal)."""

    signature = reference(
        Signature,
        _("underskrift"),
        on_delete=models.PROTECT,
        related_name="sealed_receipt",
        field=models.OneToOneField,
    )
    pdf = models.BinaryField(_("PDF"))
    sha256 = models.CharField(_("SHA-256 av PDF-filen"), max_length=64)
    language = models.CharField(_("språk"), max_length=10)
    created_at = models.DateTimeField(_("skapat"), auto_now_add=True)

    class Meta:
        verbose_name = _("förseglat kvitto")
        verbose_name_plural = _("förseglade kvitton")
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.signature_id} ({self.sha256[:12]})"


class BankIDEvidence(AppendOnlyModel):
    """What BankID returned for a signature (`completionData` of the RP API v6.0): the signed
    XML, the OCSP response and the signer's identity, personal identity number included.

    Private evidence: never shown on a public page or in the log. The signature's log entry
    commits to it through the private field `bankid_evidence` (SHA-256 of this canonical JSON),
    so a changed copy is found by `register_check` (docs/decisions.md: what is kept and why)."""

    signature = reference(
        Signature,
        _("underskrift"),
        on_delete=models.PROTECT,
        related_name="bankid_evidence",
        field=models.OneToOneField,
    )
    order_ref = models.CharField(_("BankID-order"), max_length=64)
    completion_data = models.TextField(_("BankID:s svar (kanonisk JSON)"))
    created_at = models.DateTimeField(_("sparat"), auto_now_add=True)

    class Meta:
        verbose_name = _("BankID-bevis")
        verbose_name_plural = _("BankID-bevis")

    def __str__(self) -> str:
        return f"{self.signature_id} ({self.order_ref})"
