"""An organisation's record: registering one that applies to join (its slug, its application
and its first administrator) and the municipalities it works in."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from lov_portal.core.choices import PartySide

from .. import tasks
from ..models import (
    EligibilityCriterion,
    Membership,
    MembershipRole,
    Municipality,
    Organisation,
    OrganisationApplication,
    OrganisationStatus,
)
from ..validators import normalise_organisation_number


class OrganisationExistsError(Exception):
    def __init__(self, organisation: Organisation) -> None:
        super().__init__(organisation.organisation_number)
        self.organisation = organisation


# Words the organisation pages use in their own URLs.
RESERVED_SLUGS = {"ansok", "granskning", "forfragan", "inbjudan", "medlemskap", "dokument"}


def unique_slug(name: str) -> str:
    base = slugify(name)[:200] or "organisation"
    slug, n = base, 2
    while slug in RESERVED_SLUGS or Organisation.objects.filter(slug=slug).exists():
        slug = f"{base}-{n}"
        n += 1
    return slug


def organisation_apply(
    *,
    applicant: object,
    name: str,
    organisation_number: str,
    legal_form: str,
    municipalities: Iterable[Municipality],
    whole_county: bool,
    website: str,
    description: str,
    contact_role: str,
    eligibility: Iterable[str],
    applicant_name: str = "",
) -> Organisation:
    """Register an applying organisation; the applicant becomes its administrator, and the
    name they gave as contact person becomes their account's name if it has none yet."""
    number = normalise_organisation_number(organisation_number)
    declared = sorted(set(eligibility))
    missing = set(EligibilityCriterion.values) - set(declared)
    if missing:
        raise ValidationError(_("Alla villkor i avsnitt 5.1 måste intygas."), code="eligibility")
    existing = Organisation.objects.filter(organisation_number=number).first()
    if existing is not None:
        raise OrganisationExistsError(existing)
    try:
        with transaction.atomic():
            organisation = Organisation.objects.create(
                name=name.strip(),
                slug=unique_slug(name),
                organisation_number=number,
                legal_form=legal_form,
                side=PartySide.CIVIL_SOCIETY,
                whole_county=whole_county,
                website=website,
                description=description.strip(),
                status=OrganisationStatus.APPLIED,
            )
            organisation.municipalities.set(municipalities)
            OrganisationApplication.objects.create(
                organisation=organisation,
                applicant=applicant,
                contact_role=contact_role.strip(),
                eligibility=declared,
            )
            Membership.objects.create(
                user=applicant, organisation=organisation, role=MembershipRole.ADMIN
            )
            if applicant_name and not applicant.full_name:
                applicant.full_name = applicant_name
                applicant.save(update_fields=["full_name"])
    except IntegrityError:
        # Two applications with the same number at the same moment: the second one loses.
        existing = Organisation.objects.filter(organisation_number=number).first()
        if existing is None:
            raise
        raise OrganisationExistsError(existing) from None
    tasks.application_received_notify.delay_on_commit(organisation.pk, get_language())
    return organisation


def municipality_ensure(*, code: str, name: str, province: str, county: str) -> Municipality:
    """Create the municipality if missing; an existing one is left as it is."""
    municipality, _created = Municipality.objects.get_or_create(
        code=code, defaults={"name": name, "province": province, "county": county}
    )
    return municipality
