"""Fictitious demo data: organisations, signatures, status updates, a group and its meetings.

Deterministic for a given seed. Built with bulk inserts so 5000 organisations take seconds.
Every name here is invented; organisation numbers are valid but made up.

One module per domain: `people` (the demo logins), `organisations` (organisations and
applications), `agreements` (the version's dates and the signatures), `commitments` (status
updates, actions and development areas) and `meetings` (the group, its meetings and minutes).
`demo_create` calls them in a fixed order: they share one random generator, so the order is
what makes the data the same for a seed.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from agreements.models import Agreement
from lov_portal.core.cache import public_cache_bump

from .agreements import demo_signatures, demo_version
from .commitments import demo_actions_and_areas, demo_status_updates
from .meetings import demo_group_and_meetings
from .organisations import (
    KINDS,
    PLACES,
    WORDS,
    demo_applications,
    demo_organisations,
    organisation_number,
)
from .people import DEMO_DOMAIN, DEMO_LOGINS, DEMO_PASSWORD, demo_exists, demo_users

__all__ = [
    "DEMO_DOMAIN",
    "DEMO_LOGINS",
    "DEMO_PASSWORD",
    "KINDS",
    "PLACES",
    "WORDS",
    "DemoResult",
    "demo_create",
    "demo_exists",
    "organisation_number",
]


@dataclass
class DemoResult:
    organisations: int
    signatures: int
    updates: int
    meetings: int


@transaction.atomic
def demo_create(*, agreement: Agreement, organisations: int, seed: int = 2026) -> DemoResult:
    # Reproducible demo data, not security (bandit B311).
    rng = random.Random(seed)  # nosec B311
    now = timezone.now()
    version = demo_version(agreement)
    users = demo_users()
    region, orgs, municipalities = demo_organisations(rng, organisations, users)
    signatures = demo_signatures(rng, version, region, orgs, now)
    updates = demo_status_updates(rng, agreement, users, now)
    demo_actions_and_areas(rng, agreement, users, now)
    meetings = demo_group_and_meetings(agreement, users, region, orgs, now)
    demo_applications(users, municipalities, now)
    # Bulk inserts send no signals: tell the public page cache that everything changed.
    transaction.on_commit(public_cache_bump)
    return DemoResult(len(orgs), signatures, updates, meetings)
