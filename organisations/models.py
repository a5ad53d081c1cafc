from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lov_portal.core.choices import PartySide
from lov_portal.core.models import AppendOnlyModel, reference, unique, user_reference
from lov_portal.core.uploads import UploadPolicy, private_upload_to

from .validators import validate_organisation_number


class Municipality(models.Model):
    """A municipality (kommun) where organisations may operate."""

    code = models.CharField(_("kommunkod"), max_length=4, unique=True)
    name = models.CharField(_("namn"), max_length=100)
    province = models.CharField(_("landskap"), max_length=100)
    county = models.CharField(_("län"), max_length=100)

    class Meta:
        verbose_name = _("kommun")
        verbose_name_plural = _("kommuner")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class LegalForm(models.TextChoices):
    NON_PROFIT_ASSOCIATION = "ideell_forening", _("Ideell förening")
    ECONOMIC_ASSOCIATION = "ekonomisk_forening", _("Ekonomisk förening/kooperativ")
    FOUNDATION = "stiftelse", _("Stiftelse")
    RELIGIOUS_COMMUNITY = "trossamfund", _("Registrerat trossamfund")
    LIMITED_COMPANY_SVB = (
        "aktiebolag_svb",
        _("Aktiebolag med särskild vinstutdelningsbegränsning (svb)"),
    )
    PUBLIC_BODY = "offentlig", _("Offentlig organisation")
    OTHER = "annan", _("Annan")


class OrganisationStatus(models.TextChoices):
    APPLIED = "applied", _("Ansökan inkommen")
    INFO_REQUESTED = "info_requested", _("Komplettering begärd")
    APPROVED = "approved", _("Godkänd")
    REJECTED = "rejected", _("Avslagen")


class Organisation(models.Model):
    name = models.CharField(_("namn"), max_length=200)
    slug = models.SlugField(_("kortnamn i adressen"), max_length=220, unique=True)
    organisation_number = models.CharField(
        _("organisationsnummer"),
        max_length=11,
        unique=True,
        validators=[validate_organisation_number],
        help_text=_("Tio siffror i formen NNNNNN-NNNN."),
    )
    legal_form = models.CharField(_("juridisk form"), max_length=30, choices=LegalForm.choices)
    side = models.CharField(
        _("part"), max_length=20, choices=PartySide.choices, default=PartySide.CIVIL_SOCIETY
    )
    municipalities = models.ManyToManyField(
        Municipality,
        verbose_name=_("verksam i kommuner"),
        blank=True,
        related_name="organisations",
    )
    whole_county = models.BooleanField(_("verksam i hela länet"), default=False)
    website = models.URLField(_("webbplats"), blank=True)
    description = models.TextField(_("beskrivning"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=OrganisationStatus.choices,
        default=OrganisationStatus.APPLIED,
    )
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    updated_at = models.DateTimeField(_("ändrad"), auto_now=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisationer")
        ordering = ["name"]
        indexes = [
            models.Index(Lower("name"), name="organisation_name_lower_idx"),
            models.Index(fields=["status", "side"], name="organisation_status_side_idx"),
            models.Index(fields=["legal_form"], name="organisation_legal_form_idx"),
            # The register's filter by party side. Its search by the start of an
            # organisation number (LIKE 'nnn%' needs pattern ops outside the C collation) uses
            # the `..._like` index PostgreSQL's backend makes for every unique CharField.
            models.Index(fields=["side"], name="organisation_side_idx"),
        ]

    def __str__(self) -> str:
        return self.name


class MembershipRole(models.TextChoices):
    ADMIN = "admin", _("Administratör")
    SIGNATORY = "signatory", _("Behörig firmatecknare")
    MEMBER = "member", _("Medlem")


class Membership(models.Model):
    """A user's role in an organisation."""

    user = reference(
        settings.AUTH_USER_MODEL,
        _("användare"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    organisation = reference(
        Organisation, _("organisation"), on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(
        _("roll"), max_length=20, choices=MembershipRole.choices, default=MembershipRole.MEMBER
    )
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)

    class Meta:
        verbose_name = _("medlemskap")
        verbose_name_plural = _("medlemskap")
        constraints = [unique("membership_unique_user_organisation", "user", "organisation")]

    def __str__(self) -> str:
        return f"{self.user} – {self.organisation} ({self.get_role_display()})"


class EligibilityCriterion(models.TextChoices):
    """The criteria of section 5.1 of the agreement, one declaration each."""

    PUBLIC_BENEFIT = "public_benefit", _("Organisationen arbetar för samhälleliga ändamål.")
    DEMOCRATIC_VALUES = "democratic_values", _("Organisationen bygger på demokratiska värderingar.")
    INDEPENDENT = (
        "independent",
        _("Organisationen är organisatoriskt fristående från offentlig sektor."),
    )
    CIVIL_SOCIETY_FORM = (
        "civil_society_form",
        _(
            "Organisationen drivs huvudsakligen som förening, kooperativ, socialt företag, "
            "stiftelse eller liknande."
        ),
    )
    REGIONAL_ANCHORING = (
        "regional_anchoring",
        _(
            "Organisationen är regional eller verksam i ett landskap i länet (Medelpad eller "
            "Ångermanland), eller har en särskild ställning eller ett särskilt åtagande gentemot "
            "regionen."
        ),
    )


class OrganisationApplication(models.Model):
    """An organisation's application to join: who applied, in which role, and what they declared."""

    organisation = reference(
        Organisation,
        _("organisation"),
        on_delete=models.CASCADE,
        related_name="application",
        field=models.OneToOneField,
    )
    applicant = user_reference(_("sökande"), related_name="organisation_applications")
    contact_role = models.CharField(_("kontaktpersonens roll"), max_length=200)
    eligibility = models.JSONField(_("intygade villkor"), default=list)
    submitted_at = models.DateTimeField(_("inskickad"), default=timezone.now)
    decided_at = models.DateTimeField(_("beslutad"), null=True, blank=True)

    class Meta:
        verbose_name = _("ansökan")
        verbose_name_plural = _("ansökningar")
        ordering = ["submitted_at"]

    def __str__(self) -> str:
        return str(self.organisation)


class ReviewAction(models.TextChoices):
    APPROVE = "approve", _("Godkänn")
    REJECT = "reject", _("Avslå")
    REQUEST_INFO = "request_info", _("Begär komplettering")
    APPLICANT_REPLY = "applicant_reply", _("Sökandens komplettering")


class ApplicationReview(AppendOnlyModel):
    """One step in an application's handling: a staff decision or the applicant's reply."""

    application = reference(
        OrganisationApplication, _("ansökan"), on_delete=models.CASCADE, related_name="reviews"
    )
    action = models.CharField(_("åtgärd"), max_length=20, choices=ReviewAction.choices)
    reason = models.TextField(_("motivering"), blank=True)
    author = user_reference(_("av"))
    created_at = models.DateTimeField(_("tidpunkt"), default=timezone.now)

    class Meta:
        verbose_name = _("handläggning")
        verbose_name_plural = _("handläggningar")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.application_id}: {self.action}"


class MembershipRequestStatus(models.TextChoices):
    PENDING = "pending", _("Väntar")
    ACCEPTED = "accepted", _("Godkänd")
    DECLINED = "declined", _("Avböjd")


class MembershipRequest(models.Model):
    """A user asks an existing organisation's administrators to become a member."""

    organisation = reference(
        Organisation,
        _("organisation"),
        on_delete=models.CASCADE,
        related_name="membership_requests",
    )
    user = reference(
        settings.AUTH_USER_MODEL,
        _("användare"),
        on_delete=models.CASCADE,
        related_name="membership_requests",
    )
    message = models.TextField(_("meddelande"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=MembershipRequestStatus.choices,
        default=MembershipRequestStatus.PENDING,
    )
    created_at = models.DateTimeField(_("skapad"), default=timezone.now)
    decided_at = models.DateTimeField(_("beslutad"), null=True, blank=True)

    class Meta:
        verbose_name = _("förfrågan om medlemskap")
        verbose_name_plural = _("förfrågningar om medlemskap")
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "user"],
                condition=models.Q(status="pending"),
                name="membershiprequest_one_pending",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.organisation}"


class Invitation(models.Model):
    """An administrator invites a representative by e-mail with a role."""

    organisation = reference(
        Organisation, _("organisation"), on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(_("e-postadress"))
    role = models.CharField(_("roll"), max_length=20, choices=MembershipRole.choices)
    token = models.CharField(_("kod"), max_length=64, unique=True)
    invited_by = user_reference(_("inbjuden av"))
    created_at = models.DateTimeField(_("skapad"), default=timezone.now)
    expires_at = models.DateTimeField(_("gäller till"))
    accepted_at = models.DateTimeField(_("accepterad"), null=True, blank=True)
    accepted_by = user_reference(_("accepterad av"))

    class Meta:
        verbose_name = _("inbjudan")
        verbose_name_plural = _("inbjudningar")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.email} → {self.organisation}"

    @property
    def is_open(self) -> bool:
        return self.accepted_at is None and self.expires_at > timezone.now()


# --- Documents in the application ---------------------------------------------------------------


class ApplicationDocumentKind(models.TextChoices):
    STATUTES = "statutes", _("Stadgar")
    REGISTRATION_CERTIFICATE = "registration", _("Registreringsbevis")
    SIGNING_AUTHORITY = (
        "signing_authority",
        _("Protokoll eller beslut om vem som tecknar organisationens firma"),
    )
    OTHER = "other", _("Annat dokument")


# What an application document may be: the portal's one upload policy (lov_portal.core.uploads).
APPLICATION_DOCUMENT_POLICY = UploadPolicy(
    extensions=("pdf", "docx", "odt", "png", "jpg", "jpeg"), max_bytes=10 * 1024 * 1024
)


class ApplicationDocument(models.Model):
    """A document an applying organisation attached: its statutes, registration certificate or
    the board minute showing who may sign for it. The file is private (a generated name, served
    only to staff and the organisation's representatives); what was uploaded is kept once the
    application is decided (docs/decisions.md)."""

    application = reference(
        OrganisationApplication, _("ansökan"), on_delete=models.CASCADE, related_name="documents"
    )
    kind = models.CharField(_("typ av dokument"), max_length=20, choices=ApplicationDocumentKind)
    file = models.FileField(_("fil"), upload_to=private_upload_to("applications"), max_length=200)
    original_name = models.CharField(_("ursprungligt filnamn"), max_length=200)
    content_type = models.CharField(_("filtyp"), max_length=100)
    size = models.PositiveIntegerField(_("storlek i byte"))
    uploaded_by = user_reference(_("uppladdad av"))
    uploaded_at = models.DateTimeField(_("uppladdad"), default=timezone.now)
    # The applicant's reply (to a request for more information) the document was sent with.
    reply = reference(
        ApplicationReview,
        _("komplettering"),
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="documents",
    )

    class Meta:
        verbose_name = _("dokument i ansökan")
        verbose_name_plural = _("dokument i ansökningar")
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.original_name}"


class ApplicationDocumentRequest(models.Model):
    """Staff asked for a document of one kind with a request for more information."""

    review = reference(
        ApplicationReview,
        _("begäran om komplettering"),
        on_delete=models.CASCADE,
        related_name="document_request",
        field=models.OneToOneField,
    )
    kind = models.CharField(_("begärt dokument"), max_length=20, choices=ApplicationDocumentKind)

    class Meta:
        verbose_name = _("begärt dokument")
        verbose_name_plural = _("begärda dokument")

    def __str__(self) -> str:
        return self.get_kind_display()
