"""Demo organisations: the region, the associations that signed (names from the lists
below, valid made-up organisation numbers, municipalities) and a few applications waiting."""

from __future__ import annotations

import datetime
import random

from django.utils.text import slugify

from lov_portal.accounts.models import User
from lov_portal.core.choices import PartySide
from organisations.models import (
    LegalForm,
    Membership,
    MembershipRole,
    Municipality,
    Organisation,
    OrganisationStatus,
)
from organisations.validators import organisation_number_check_digit

# Prefixes of the organisation number by legal form (the third digit is >= 2).
NUMBER_PREFIX = {
    LegalForm.NON_PROFIT_ASSOCIATION: "802",
    LegalForm.ECONOMIC_ASSOCIATION: "769",
    LegalForm.FOUNDATION: "804",
    LegalForm.RELIGIOUS_COMMUNITY: "252",
    LegalForm.LIMITED_COMPANY_SVB: "559",
    LegalForm.OTHER: "717",
}
KINDS = {
    LegalForm.NON_PROFIT_ASSOCIATION: [
        "Idrottsförening",
        "Hembygdsförening",
        "Pensionärsförening",
        "Föreningen för psykisk hälsa",
        "Diabetesföreningen",
        "Brukarförening",
        "Scoutkår",
        "Kulturförening",
        "Byalag",
        "Föräldraföreningen",
        "Frivilligcentral",
        "Studieförbundet",
    ],
    LegalForm.ECONOMIC_ASSOCIATION: ["Kooperativet", "Arbetskooperativet", "Bygdekooperativet"],
    LegalForm.FOUNDATION: ["Stiftelsen", "Insamlingsstiftelsen"],
    LegalForm.RELIGIOUS_COMMUNITY: ["Församlingen", "Missionsförsamlingen"],
    LegalForm.LIMITED_COMPANY_SVB: ["Sociala företaget"],
    LegalForm.OTHER: ["Nätverket", "Samverkansrådet"],
}
WORDS = [
    "Norrsken",
    "Älvdalen",
    "Höga Kusten",
    "Kustbygden",
    "Skogsbrynet",
    "Forsen",
    "Ljusglimten",
    "Tillsammans",
    "Gemenskapen",
    "Bron",
    "Fyren",
    "Medvind",
    "Ankaret",
    "Linden",
    "Solrosen",
    "Vägvisaren",
    "Ådalen",
    "Indalsälven",
    "Ljungan",
    "Björken",
    "Granen",
    "Kompassen",
]
PLACES = {
    "2260": ["Ånge", "Torpshammar", "Fränsta"],
    "2262": ["Timrå", "Sörberge", "Söråker"],
    "2280": ["Härnösand", "Älandsbro", "Viksjö"],
    "2281": ["Sundsvall", "Matfors", "Njurunda", "Kvissleby", "Stöde", "Liden"],
    "2282": ["Kramfors", "Bollstabruk", "Nyland", "Ullånger"],
    "2283": ["Sollefteå", "Junsele", "Ramsele", "Näsåker"],
    "2284": ["Örnsköldsvik", "Bjästa", "Husum", "Bredbyn", "Själevad"],
}


def organisation_number(prefix: str, n: int) -> str:
    nine = f"{prefix}{n:06d}"
    return f"{nine[:6]}-{nine[6:]}{organisation_number_check_digit(nine)}"


def demo_organisations(
    rng: random.Random, organisations: int, users: dict[str, User]
) -> tuple[Organisation, list[Organisation], list[Municipality]]:
    """The region (the public party), `organisations` approved associations (the first one
    has the demo administrator and signatory as members) and the municipalities they are in."""
    municipalities = list(Municipality.objects.filter(code__in=PLACES).order_by("code"))
    region = Organisation.objects.filter(organisation_number="232100-0206").first()
    if region is None:
        region = Organisation.objects.create(
            name="Region Västernorrland",
            slug="region-vasternorrland",
            organisation_number="232100-0206",
            legal_form=LegalForm.PUBLIC_BODY,
            side=PartySide.PUBLIC,
            whole_county=True,
            website="https://www.rvn.se/",
            description="Den offentliga parten i överenskommelsen.",
            status=OrganisationStatus.APPROVED,
        )

    forms = list(NUMBER_PREFIX)
    weights = [55, 12, 10, 8, 6, 9]
    orgs: list[Organisation] = []
    org_municipalities: list[list[Municipality]] = []
    used_names: set[str] = set()
    counters = dict.fromkeys(forms, 0)
    for index in range(organisations):
        form = rng.choices(forms, weights)[0]
        counters[form] += 1
        home = rng.choice(municipalities)
        place = rng.choice(PLACES[home.code])
        name = f"{rng.choice(KINDS[form])} {rng.choice(WORDS)} {place}"
        while name in used_names:
            name = f"{name} {rng.randint(2, 99)}"
        used_names.add(name)
        whole_county = rng.random() < 0.08
        extra = rng.sample(municipalities, k=rng.choice([0, 0, 0, 1, 2]))
        orgs.append(
            Organisation(
                name=name,
                slug=f"{slugify(name)[:200]}-{index + 1}",
                organisation_number=organisation_number(NUMBER_PREFIX[form], counters[form]),
                legal_form=form,
                side=PartySide.CIVIL_SOCIETY,
                whole_county=whole_county,
                website=f"https://{slugify(name)[:40]}.example.se/",
                description=(
                    f"{name} är en fiktiv demoorganisation verksam i {home.name} ({home.province})."
                ),
                status=OrganisationStatus.APPROVED,
            )
        )
        org_municipalities.append(sorted({home, *extra}, key=lambda m: m.code))
    Organisation.objects.bulk_create(orgs, batch_size=1000)
    Through = Organisation.municipalities.through
    Through.objects.bulk_create(
        [
            Through(organisation_id=org.pk, municipality_id=m.pk)
            for org, ms in zip(orgs, org_municipalities, strict=True)
            for m in ms
        ],
        batch_size=2000,
    )

    if orgs:
        Membership.objects.bulk_create(
            [
                Membership(
                    user=users["foreningsadmin"], organisation=orgs[0], role=MembershipRole.ADMIN
                ),
                Membership(
                    user=users["firmatecknare"], organisation=orgs[0], role=MembershipRole.SIGNATORY
                ),
            ]
        )

    return region, orgs, municipalities


def demo_applications(users, municipalities, now) -> None:
    """A few applications waiting in the staff review queue (issue 3)."""
    from organisations.models import EligibilityCriterion, OrganisationApplication

    applying = Organisation.objects.bulk_create(
        [
            Organisation(
                name=name,
                slug=slugify(name),
                organisation_number=organisation_number("802", 900000 + n),
                legal_form=LegalForm.NON_PROFIT_ASSOCIATION,
                side=PartySide.CIVIL_SOCIETY,
                description=f"{name} är en fiktiv demoförening som har ansökt om att underteckna.",
                status=OrganisationStatus.APPLIED,
            )
            for n, name in enumerate(
                [
                    "Ansökande föreningen Gryning",
                    "Ansökande byalaget Älvnära",
                    "Ansökande kören Ton",
                ]
            )
        ]
    )
    Organisation.municipalities.through.objects.bulk_create(
        [
            Organisation.municipalities.through(
                organisation_id=o.pk, municipality_id=municipalities[n % len(municipalities)].pk
            )
            for n, o in enumerate(applying)
        ]
    )
    OrganisationApplication.objects.bulk_create(
        [
            OrganisationApplication(
                organisation=o,
                applicant=users["foreningsadmin"],
                contact_role="Ordförande",
                eligibility=list(EligibilityCriterion.values),
                submitted_at=now - datetime.timedelta(days=3 + 5 * n),
            )
            for n, o in enumerate(applying)
        ]
    )
    Membership.objects.bulk_create(
        [
            Membership(user=users["foreningsadmin"], organisation=o, role=MembershipRole.ADMIN)
            for o in applying
        ]
    )
