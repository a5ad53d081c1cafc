"""Fictitious demo data: organisations, signatures, status updates, a group and its meetings.

Deterministic for a given seed. Built with bulk inserts so 5000 organisations take seconds.
Every name here is invented; organisation numbers are valid but made up.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from agreements.models import Agreement, AgreementVersion, Signature, SignatureKind, add_years
from agreements.services import new_receipt_code, signature_hash_fields, signature_record_hash
from commitments.models import (
    Action,
    ActionStatus,
    Commitment,
    CommitmentStatus,
    DevelopmentArea,
    StatusUpdate,
)
from lov_portal.accounts.models import User
from lov_portal.core.cache import public_cache_bump
from lov_portal.core.choices import PartySide
from meetings.models import CooperationGroup, GroupMember, Meeting, MeetingKind, MemberRole
from organisations.models import (
    LegalForm,
    Membership,
    MembershipRole,
    Municipality,
    Organisation,
    OrganisationStatus,
)
from organisations.validators import organisation_number_check_digit

# Printed for local demo logins only (bandit B105, ruff S105).
DEMO_PASSWORD = "demo-lov-2026"  # noqa: S105  # nosec B105
DEMO_DOMAIN = "demo.lov.example.se"
CONSENT_TEXT = "Jag intygar att jag är behörig att underteckna för organisationen."

# (e-mail local part, full name, role description)
DEMO_LOGINS = [
    ("personal", "Karin Personal", "personal (kansliet), administratör"),
    ("ordforande", "Anders Ordförande", "samverkansgruppens ordförande"),
    ("sekreterare", "Sara Sekreterare", "samverkansgruppens sekreterare"),
    ("justerare1", "Jonas Justerare", "ledamot och justerare"),
    ("justerare2", "Eva Justerare", "ledamot och justerare"),
    ("foreningsadmin", "Maja Föreningsadmin", "administratör för en demoförening"),
    ("firmatecknare", "Per Firmatecknare", "behörig firmatecknare för en demoförening"),
]

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
NARRATIVES = [
    "Dialogmöte genomfört med representanter från båda parter.",
    "Arbetsgrupp tillsatt; första mötet hölls under perioden.",
    "Underlag har tagits fram och remitterats till föreningarna.",
    "Arbetet har stannat av i väntan på beslut om resurser.",
    "Rutin för samråd är införd i två förvaltningar.",
    "Utbildningsinsats genomförd för handläggare och föreningsföreträdare.",
]


@dataclass
class DemoResult:
    organisations: int
    signatures: int
    updates: int
    meetings: int


def demo_exists() -> bool:
    return User.objects.filter(email=f"personal@{DEMO_DOMAIN}").exists()


def organisation_number(prefix: str, n: int) -> str:
    nine = f"{prefix}{n:06d}"
    return f"{nine[:6]}-{nine[6:]}{organisation_number_check_digit(nine)}"


@transaction.atomic
def demo_create(*, agreement: Agreement, organisations: int, seed: int = 2026) -> DemoResult:
    # Reproducible demo data, not security (bandit B311).
    rng = random.Random(seed)  # nosec B311
    now = timezone.now()
    version = AgreementVersion.objects.get(agreement=agreement, is_current=True)
    if version.effective_from is None:
        # Demo only: the saved text carries no dates, so the demo invents plausible ones.
        version.adopted_on = datetime.date(2022, 11, 24)
        version.effective_from = datetime.date(2023, 1, 1)
        version.review_due_on = add_years(version.effective_from, 5)
        AgreementVersion.objects.filter(pk=version.pk).update(
            adopted_on=version.adopted_on,
            effective_from=version.effective_from,
            review_due_on=version.review_due_on,
        )

    password = make_password(DEMO_PASSWORD)
    users = {
        local: User(
            email=f"{local}@{DEMO_DOMAIN}",
            full_name=name,
            password=password,
            is_staff=(local == "personal"),
            is_superuser=(local == "personal"),
        )
        for local, name, _role in DEMO_LOGINS
    }
    User.objects.bulk_create(users.values())
    users = {local: User.objects.get(email=f"{local}@{DEMO_DOMAIN}") for local in users}
    _verify_emails(list(users.values()))

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

    signatures = _demo_signatures(rng, version, region, orgs, now)
    updates = _demo_status_updates(rng, agreement, users, now)
    _demo_actions_and_areas(rng, agreement, users, now)
    meetings = _demo_group_and_meetings(rng, agreement, users, region, orgs, now)
    _demo_applications(users, municipalities, now)
    # Bulk inserts send no signals: tell the public page cache that everything changed.
    transaction.on_commit(public_cache_bump)
    return DemoResult(len(orgs), signatures, updates, meetings)


def _verify_emails(users: list[User]) -> None:
    from allauth.account.models import EmailAddress

    EmailAddress.objects.bulk_create(
        [EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in users]
    )


def _demo_signatures(rng, version, region, orgs, now) -> int:
    from agreements import evidence
    from agreements.models import Withdrawal

    start = datetime.datetime.combine(
        version.effective_from, datetime.time(10, 0), tzinfo=datetime.UTC
    )
    span = max((now - start).total_seconds(), 86400)
    previous = (
        Signature.objects.filter(agreement_version__agreement_id=version.agreement_id)
        .order_by("-pk")
        .values_list("record_hash", flat=True)
        .first()
        or ""
    )
    pending: list[Signature] = []
    if not Signature.objects.filter(organisation=region, agreement_version=version).exists():
        pending.append(
            Signature(
                organisation=region,
                agreement_version=version,
                kind=SignatureKind.DECISION,
                organisation_number=region.organisation_number,
                organisation_name=region.name,
                text_sha256=version.text_sha256,
                signer_name="Regionfullmäktige",
                decision_body="Regionfullmäktige",
                decision_date=version.adopted_on,
                decision_reference="§ 142",
                signed_at=start,
            )
        )
    for org in orgs:
        if rng.random() < 0.85:
            pending.append(
                Signature(
                    organisation=org,
                    agreement_version=version,
                    organisation_number=org.organisation_number,
                    organisation_name=org.name,
                    text_sha256=version.text_sha256,
                    signer_name="Demo Firmatecknare",
                    signer_title=rng.choice(["Ordförande", "Verksamhetsledare", "Kassör"]),
                    consent_text=CONSENT_TEXT,
                    signed_at=start + datetime.timedelta(seconds=rng.random() * span),
                )
            )
    pending.sort(key=lambda s: s.signed_at)
    for signature in pending:
        signature.receipt_code = new_receipt_code()
        signature.previous_hash = previous
        signature.record_hash = signature_record_hash(signature_hash_fields(signature), previous)
        previous = signature.record_hash
        signature.log_entry = evidence.signature_logged(signature)
    Signature.objects.bulk_create(pending, batch_size=1000)
    # A few organisations have left the agreement again.
    withdrawn = [s for s in pending if s.kind == SignatureKind.ONLINE and rng.random() < 0.04]
    withdrawals = [
        Withdrawal(
            signature=s,
            withdrawn_at=min(now, s.signed_at + datetime.timedelta(days=rng.randint(30, 600))),
            reason="Föreningen har upphört med sin verksamhet.",
        )
        for s in withdrawn
    ]
    for withdrawal in sorted(withdrawals, key=lambda w: w.withdrawn_at):
        withdrawal.log_entry = evidence.withdrawal_logged(withdrawal)
    Withdrawal.objects.bulk_create(withdrawals)
    return len(pending)


def _demo_status_updates(rng, agreement, users, now) -> int:
    commitments = list(Commitment.objects.filter(principle__agreement=agreement))
    statuses = list(CommitmentStatus.values)
    updates: list[StatusUpdate] = []
    latest: dict[int, StatusUpdate] = {}
    for commitment in commitments:
        commitment.owners.add(users["personal"])
        count = rng.randint(0, 4)
        moments = sorted(now - datetime.timedelta(days=rng.randint(1, 720)) for _ in range(count))
        for moment in moments:
            update = StatusUpdate(
                commitment=commitment,
                status=rng.choice(statuses),
                narrative=rng.choice(NARRATIVES),
                refers_to=moment.date(),
                author=users["personal"],
                is_internal=rng.random() < 0.1,
            )
            update.demo_created_at = moment
            updates.append(update)
            latest[commitment.pk] = update
    StatusUpdate.objects.bulk_create(updates)
    # created_at is auto_now_add; backdate it so history spreads over two years.
    for update in updates:
        StatusUpdate.objects.filter(pk=update.pk).update(created_at=update.demo_created_at)
    for commitment in commitments:
        update = latest.get(commitment.pk)
        if update is not None:
            commitment.status = update.status
            commitment.last_update_at = update.demo_created_at
    Commitment.objects.bulk_update(commitments, ["status", "last_update_at"])
    return len(updates)


def _demo_group_and_meetings(rng, agreement, users, region, orgs, now) -> int:
    group, _created = CooperationGroup.objects.get_or_create(
        agreement=agreement, defaults={"name": "Samverkansgruppen för LÖV"}
    )
    term_start = datetime.date(now.year - 1, 1, 1)
    term_end = datetime.date(now.year + 2, 12, 31)
    password = users["personal"].password
    extra_people = [
        User(email=f"ledamot{n}@{DEMO_DOMAIN}", full_name=name, password=password)
        for n, name in enumerate(
            [
                "Lena Ledamot",
                "Olof Ledamot",
                "Fatima Ledamot",
                "Erik Ersättare",
                "Nora Ersättare",
                "Johan Ledamot",
            ],
            start=1,
        )
    ]
    User.objects.bulk_create(extra_people)
    extra = list(User.objects.filter(email__startswith="ledamot", email__endswith=DEMO_DOMAIN))
    civil_org = orgs[0] if orgs else None
    members = [
        # Civil society: five
        (users["ordforande"], PartySide.CIVIL_SOCIETY, MemberRole.CHAIR, civil_org),
        (users["justerare1"], PartySide.CIVIL_SOCIETY, MemberRole.MEMBER, civil_org),
        (extra[0], PartySide.CIVIL_SOCIETY, MemberRole.MEMBER, civil_org),
        (extra[1], PartySide.CIVIL_SOCIETY, MemberRole.MEMBER, civil_org),
        (extra[3], PartySide.CIVIL_SOCIETY, MemberRole.DEPUTY, civil_org),
        # Public: five
        (extra[2], PartySide.PUBLIC, MemberRole.VICE_CHAIR, region),
        (users["sekreterare"], PartySide.PUBLIC, MemberRole.SECRETARY, region),
        (users["justerare2"], PartySide.PUBLIC, MemberRole.MEMBER, region),
        (extra[5], PartySide.PUBLIC, MemberRole.MEMBER, region),
        (extra[4], PartySide.PUBLIC, MemberRole.DEPUTY, region),
    ]
    GroupMember.objects.bulk_create(
        [
            GroupMember(
                group=group,
                user=user,
                side=side,
                role=role,
                organisation=org,
                term_start=term_start,
                term_end=term_end,
            )
            for user, side, role, org in members
        ]
    )
    year = now.year
    plan = [
        (datetime.date(year, 2, 12), MeetingKind.GROUP_MEETING, "Härnösand, Regionens hus"),
        (datetime.date(year, 3, 26), MeetingKind.DIALOGUE, "Vårsta diakonigård, Härnösand"),
        (datetime.date(year, 4, 23), MeetingKind.GROUP_MEETING, "Sundsvall, Folkets hus"),
        (datetime.date(year, 9, 10), MeetingKind.GROUP_MEETING, "Digitalt möte"),
        (
            datetime.date(year, 10, 15),
            MeetingKind.FOLLOW_UP_CONFERENCE,
            "Örnsköldsvik, Folkhögskolan",
        ),
        (datetime.date(year, 12, 3), MeetingKind.GROUP_MEETING, "Kramfors, Kulturhuset"),
        (datetime.date(year + 1, 2, 11), MeetingKind.GROUP_MEETING, "Härnösand, Regionens hus"),
    ]
    meetings = []
    for day, kind, place in plan:
        starts = datetime.datetime.combine(
            day, datetime.time(13, 0), tzinfo=timezone.get_current_timezone()
        )
        meetings.append(
            Meeting(
                group=group,
                kind=kind,
                starts_at=starts,
                ends_at=starts
                + datetime.timedelta(hours=3 if kind != MeetingKind.FOLLOW_UP_CONFERENCE else 6),
                location=place,
                online_url="https://mote.example.se/lov" if place == "Digitalt möte" else "",
            )
        )
    Meeting.objects.bulk_create(meetings)
    _demo_minutes(group, meetings, users, now)
    return len(meetings)


def _demo_applications(users, municipalities, now) -> None:
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


DEMO_AREAS = [
    (
        "Finansiering och långsiktiga bidrag",
        "Former för långsiktig finansiering av idéburna organisationer.",
    ),
    (
        "Dialog i planeringsprocesser",
        "Hur idéburna organisationer kommer in tidigt i regionens planering.",
    ),
    ("Kunskap om varandra", "Utbildning och studiebesök mellan parterna."),
]


def _demo_actions_and_areas(rng, agreement, users, now) -> None:
    """Owners, due dates and progress for the actions load_lov created, a few actions under
    commitments, and development areas linking them (demo only)."""
    today = now.date()
    statuses = [ActionStatus.PLANNED, ActionStatus.IN_PROGRESS, ActionStatus.DONE]
    loaded = list(Action.objects.filter(principle__agreement=agreement))
    for action in loaded:
        action.owner = rng.choice([users["personal"], users["sekreterare"], users["ordforande"]])
        action.due_date = today + datetime.timedelta(days=rng.randint(-240, 365))
        action.status = rng.choice(statuses)
    Action.objects.bulk_update(loaded, ["owner", "due_date", "status"])
    commitments = list(Commitment.objects.filter(principle__agreement=agreement))
    # The association's administrator reports on the civil-society party's commitments.
    Commitment.owners.through.objects.bulk_create(
        [
            Commitment.owners.through(commitment_id=c.pk, user_id=users["foreningsadmin"].pk)
            for c in commitments
            if c.responsible_side == "civil_society"
        ],
        ignore_conflicts=True,
    )
    extra = [
        Action(
            principle_id=commitment.principle_id,
            commitment=commitment,
            order=100 + n,
            title=title,
            owner=users["personal"],
            due_date=today + datetime.timedelta(days=rng.randint(-120, 300)),
            status=rng.choice(statuses),
            source="Samverkansgruppen",
        )
        for n, (commitment, title) in enumerate(
            zip(
                rng.sample(commitments, k=min(6, len(commitments))),
                [
                    "Ta fram en rutin för tidig dialog",
                    "Genomföra en utbildningsdag för handläggare",
                    "Sammanställa regionens bidragsformer",
                    "Bjuda in till öppet dialogmöte i varje kommun",
                    "Följa upp upphandlingar med sociala hänsyn",
                    "Publicera protokoll och underlag på portalen",
                ],
                strict=False,
            )
        )
    ]
    Action.objects.bulk_create(extra)
    areas = DevelopmentArea.objects.bulk_create(
        [
            DevelopmentArea(
                agreement=agreement,
                name=name,
                description=description,
                identified_on=today - datetime.timedelta(days=200 - 60 * n),
                order=n,
            )
            for n, (name, description) in enumerate(DEMO_AREAS, start=1)
        ]
    )
    actions = loaded + extra
    DevelopmentArea.commitments.through.objects.bulk_create(
        [
            DevelopmentArea.commitments.through(developmentarea_id=area.pk, commitment_id=c.pk)
            for area in areas
            for c in rng.sample(commitments, k=min(4, len(commitments)))
        ]
    )
    DevelopmentArea.actions.through.objects.bulk_create(
        [
            DevelopmentArea.actions.through(developmentarea_id=area.pk, action_id=a.pk)
            for area in areas
            for a in rng.sample(actions, k=min(3, len(actions)))
        ]
    )


def _demo_minutes(group, meetings, users, now) -> None:
    """An agenda for the next meeting; for past meetings, published minutes, and the latest
    past meeting's minutes waiting for the checkers (justerare1 and justerare2)."""
    from meetings import services as meeting_services
    from meetings.models import AttendanceStatus

    past = [m for m in meetings if m.ends_at < now]
    upcoming = [m for m in meetings if m.starts_at >= now]
    agenda = [
        "Mötets öppnande",
        "Val av justerare",
        "Godkännande av dagordningen",
        "Uppföljning av åtagandena",
        "Planering av dialogmöte",
        "Övriga frågor",
        "Mötets avslutande",
    ]
    if upcoming:
        for title in agenda:
            meeting_services.agenda_item_create(meeting=upcoming[0], title=title)
    members = list(GroupMember.objects.filter(group=group).select_related("user"))
    checkers = [users["justerare1"], users["justerare2"]]
    for index, meeting in enumerate(past):
        minutes = meeting_services.minutes_create(meeting=meeting)
        meeting_services.minutes_header_update(
            minutes=minutes,
            chair=users["ordforande"],
            secretary=users["sekreterare"],
            checkers=checkers,
            other_participants="Karin Personal, kansliet",
        )
        meeting_services.minutes_attendance_set(
            minutes=minutes,
            entries=[
                meeting_services.AttendanceEntry(
                    member=m,
                    status=AttendanceStatus.ABSENT
                    if m.role == MemberRole.DEPUTY
                    else AttendanceStatus.PRESENT,
                )
                for m in members
            ],
        )
        for title in agenda:
            meeting_services.minutes_item_create(
                minutes=minutes,
                heading=title,
                notes="Ordföranden redogjorde för ärendet och gruppen diskuterade.",
                decision="Samverkansgruppen beslutade i enlighet med förslaget.",
            )
        meeting_services.minutes_send_for_approval(minutes=minutes, by=users["sekreterare"])
        if index == len(past) - 1:
            continue  # waiting for the checkers
        for person in (*checkers, users["ordforande"]):
            meeting_services.minutes_approve(minutes=minutes, by=person)
        meeting_services.minutes_publish(minutes=minutes, by=users["sekreterare"])
