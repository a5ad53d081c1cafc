"""Loading LÖV into the database. Idempotent: it only creates what is missing."""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone

from agreements.models import Agreement, AgreementVersion, Principle
from agreements.services import agreement_version_create
from agreements.text import text_sha256
from commitments.models import Action, ActionStatus, Commitment
from lov_portal.core.mail import header_value, mail_subject
from meetings.models import CooperationGroup
from organisations.services import municipality_ensure

from .lov_source import (
    COUNTY,
    DIALOGUE_2014_SOURCE,
    MUNICIPALITIES,
    ParsedAgreement,
    load_dialogue_actions,
)
from .models import AccessibilityReport

logger = logging.getLogger(__name__)

LOV_SLUG = "lov"


@dataclass
class LoadResult:
    created: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    def count(self, name: str) -> None:
        self.created[name] = self.created.get(name, 0) + 1


@transaction.atomic
def lov_load(
    *,
    parsed: ParsedAgreement,
    adopted_on: datetime.date | None = None,
    effective_from: datetime.date | None = None,
    dialogue_actions: dict[str, list[str]] | None = None,
) -> LoadResult:
    """`dialogue_actions` (principle key → actions) defaults to the three actions per
    principle proposed by the dialogue meeting of 26 March 2014."""
    if dialogue_actions is None:
        dialogue_actions = load_dialogue_actions()
    result = LoadResult()
    for code, name, province in MUNICIPALITIES:
        municipality_ensure(code=code, name=name, province=province, county=COUNTY)
    agreement, created = Agreement.objects.get_or_create(
        slug=LOV_SLUG,
        defaults={
            "name": "Länsöverenskommelsen Västernorrland",
            "short_name": "LÖV",
            "public_party_name": "Region Västernorrland",
            "civil_society_party_name": "Idéburna organisationer i Västernorrland",
            "summary": (
                "En skriftlig överenskommelse om samverkan mellan Region Västernorrland "
                "(tidigare Landstinget Västernorrland) och de idéburna organisationerna i länet. "
                "Den är inte lag, utan en ram för dialog och samverkan, och bygger på den "
                "nationella överenskommelsens sex principer."
            ),
        },
    )
    if created:
        result.count("agreement")

    version = AgreementVersion.objects.filter(agreement=agreement, number=1).first()
    if version is None:
        agreement_version_create(
            agreement=agreement,
            number=1,
            text=parsed.full_text,
            adopted_on=adopted_on,
            effective_from=effective_from,
            make_current=not AgreementVersion.objects.filter(agreement=agreement).exists(),
        )
        result.count("version")
    elif version.text_sha256 != text_sha256(parsed.full_text):
        result.warnings.append(
            "Version 1 is already stored with another text; it was left unchanged "
            "(signatures refer to it). Add a new version instead."
        )

    for parsed_principle in parsed.principles:
        principle, created = Principle.objects.get_or_create(
            agreement=agreement,
            key=parsed_principle.key,
            defaults={
                "order": parsed_principle.order,
                "name": parsed_principle.name,
                "name_en": parsed_principle.name_en,
                "national_text": parsed_principle.national_text,
                "regional_text": parsed_principle.regional_text,
            },
        )
        if created:
            result.count("principle")
        for parsed_commitment in parsed_principle.commitments:
            _commitment, created = Commitment.objects.get_or_create(
                principle=principle,
                source_key=f"v1:{parsed_principle.order}.{parsed_commitment.order}",
                defaults={
                    "order": parsed_commitment.order,
                    "text": parsed_commitment.text,
                    "responsible_side": parsed_commitment.side,
                    "responsible_units": parsed_commitment.units,
                },
            )
            if created:
                result.count("commitment")
        for order, title in enumerate(dialogue_actions.get(parsed_principle.key, []), start=1):
            _action, created = Action.objects.get_or_create(
                principle=principle,
                source_key=f"dialog-2014-03-26:{order}",
                defaults={
                    "order": order,
                    "title": title,
                    "status": ActionStatus.PROPOSED,
                    "source": DIALOGUE_2014_SOURCE,
                },
            )
            if created:
                result.count("action")

    _group, created = CooperationGroup.objects.get_or_create(
        agreement=agreement,
        defaults={"name": "Samverkansgruppen för LÖV", "mandate": parsed.group_mandate},
    )
    if created:
        result.count("cooperation_group")
    return result


def accessibility_report_create(
    *,
    description: str,
    page_url: str = "",
    name: str = "",
    email: str = "",
    language: str = "sv",
) -> AccessibilityReport:
    """Store a visitor's report and e-mail it to staff once it is saved.

    The report is kept even if the e-mail cannot be sent: staff also see every report in the
    admin, so nothing a visitor sends is lost.
    """
    report = AccessibilityReport.objects.create(
        description=description.strip(),
        page_url=page_url.strip(),
        name=name.strip(),
        email=email.strip(),
        language=language,
    )
    transaction.on_commit(lambda: _accessibility_report_notify(report_id=report.pk))
    return report


def _accessibility_report_notify(*, report_id: int) -> None:
    report = AccessibilityReport.objects.get(pk=report_id)
    lines = [
        f"Inkommen: {timezone.localtime(report.created_at):%Y-%m-%d %H:%M}",
        f"Sida: {report.page_url or '(ej angiven)'}",
        f"Namn: {report.name or '(ej angivet)'}",
        f"E-post: {report.email or '(ej angiven, vill inte ha svar)'}",
        f"Språk: {report.language}",
        "",
        report.description,
    ]
    message = EmailMessage(
        subject=mail_subject(f"Tillgänglighetsproblem rapporterat (nr {report.pk})"),
        body="\n".join(lines),
        to=[settings.PORTAL_CONTACT_EMAIL],
        reply_to=[header_value(report.email)] if report.email else None,
    )
    try:
        message.send()
    except Exception:  # the report is stored; staff find it in the admin
        logger.exception("Could not e-mail accessibility report %s", report.pk)
