from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from lov_portal.core.choices import PartySide

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
        ]

    def __str__(self) -> str:
        return self.name


class MembershipRole(models.TextChoices):
    ADMIN = "admin", _("Administratör")
    SIGNATORY = "signatory", _("Behörig firmatecknare")
    MEMBER = "member", _("Medlem")


class Membership(models.Model):
    """A user's role in an organisation."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("användare"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    role = models.CharField(
        _("roll"), max_length=20, choices=MembershipRole.choices, default=MembershipRole.MEMBER
    )
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)

    class Meta:
        verbose_name = _("medlemskap")
        verbose_name_plural = _("medlemskap")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation"], name="membership_unique_user_organisation"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.organisation} ({self.get_role_display()})"
