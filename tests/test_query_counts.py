"""Every page of the load benchmark makes a fixed number of queries, however much data there is.

Each test seeds the demo data with 10 organisations, measures the page, then adds 1000 more
rows of what the page lists (organisations with signatures, commitments and status updates,
meetings with published minutes) and measures again: the count is pinned and must not grow.
The public page cache is bumped before each measurement, so the page is really rendered.
"""

from __future__ import annotations

import datetime

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from agreements.models import AgreementVersion, Signature
from commitments.models import Commitment, CommitmentStatus, StatusUpdate
from lov_portal.core.cache import public_cache_bump
from lov_portal.core.choices import PartySide, ResponsibleSide
from lov_portal.portal.demo import demo_create
from meetings.models import (
    Meeting,
    Minutes,
    MinutesPublication,
    MinutesRevision,
    MinutesStatus,
    RevisionKind,
)
from organisations.models import LegalForm, Municipality, Organisation, OrganisationStatus
from tests.agreements.factories import signatures_for
from tests.sessions import session_queries

pytestmark = pytest.mark.django_db

SMALL = 10
LARGE = 1000

# page: (url or a builder of it, logged in as staff, pinned number of queries)
PAGES = {
    "home": ("/", False, 4),
    "agreement": ("/overenskommelsen/", False, 5),
    "register, first page": ("/undertecknare/", False, 6),
    "register, search": ("/undertecknare/?q=f%C3%B6rening", False, 6),
    "register, filter": ("/undertecknare/?kommun=2281", False, 6),
    "organisation profile": ("profile", False, 5),
    "public commitments": ("/ataganden/", False, 6),
    "published minutes list": ("/moten/", False, 6),
    "published minutes": ("minutes", False, 13),
    # Logged in: plus the session's query when sessions are not read from the cache.
    "staff dashboard": ("/uppfoljning/", True, 14),
}


def _grow_register(n: int) -> None:
    version = AgreementVersion.objects.get(agreement__slug="lov", is_current=True)
    municipalities = list(Municipality.objects.order_by("code"))
    organisations = Organisation.objects.bulk_create(
        [
            Organisation(
                name=f"Extra idrottsförening {i}",
                slug=f"extra-idrottsforening-{i}",
                organisation_number=f"80{i:04d}-0000",
                legal_form=LegalForm.NON_PROFIT_ASSOCIATION,
                side=PartySide.CIVIL_SOCIETY,
                status=OrganisationStatus.APPROVED,
            )
            for i in range(n)
        ]
    )
    through = Organisation.municipalities.through
    through.objects.bulk_create(
        [
            through(organisation_id=o.pk, municipality_id=municipalities[i % 7].pk)
            for i, o in enumerate(organisations)
        ]
    )
    signatures_for(
        organisations,
        version=version,
        signer_name="Extra Firmatecknare",
        apart=datetime.timedelta(days=1),
    )


def _grow_commitments(n: int) -> None:
    existing = list(Commitment.objects.select_related("principle"))
    author = get_user_model().objects.get(is_staff=True, email__startswith="personal")
    added = Commitment.objects.bulk_create(
        [
            Commitment(
                principle=existing[i % len(existing)].principle,
                order=100 + i,
                text=f"Extra åtagande {i}.",
                responsible_side=ResponsibleSide.JOINT,
                status=CommitmentStatus.IN_PROGRESS,
                last_update_at=timezone.now(),
            )
            for i in range(n)
        ]
    )
    Commitment.owners.through.objects.bulk_create(
        [Commitment.owners.through(commitment_id=c.pk, user_id=author.pk) for c in added]
    )
    everything = existing + added
    StatusUpdate.objects.bulk_create(
        [
            StatusUpdate(
                commitment=everything[i % len(everything)],
                status=CommitmentStatus.IN_PROGRESS,
                narrative=f"Lägesrapport {i}.",
                refers_to=datetime.date(2025, 1, 1),
                author=author,
            )
            for i in range(n)
        ]
    )


def _grow_meetings(n: int) -> None:
    template = Minutes.objects.exclude(published_revision=None).select_related(
        "meeting", "published_revision"
    )[0]
    start = template.meeting.starts_at - datetime.timedelta(days=n + 1)
    meetings = Meeting.objects.bulk_create(
        [
            Meeting(
                group_id=template.meeting.group_id,
                starts_at=start + datetime.timedelta(days=i),
                ends_at=start + datetime.timedelta(days=i, hours=3),
                location="Härnösand",
            )
            for i in range(n)
        ]
    )
    minutes = Minutes.objects.bulk_create(
        [
            Minutes(
                meeting=m,
                status=MinutesStatus.PUBLISHED,
                chair_id=template.chair_id,
                secretary_id=template.secretary_id,
            )
            for m in meetings
        ]
    )
    revisions = MinutesRevision.objects.bulk_create(
        [
            MinutesRevision(
                minutes=m,
                number=1,
                kind=RevisionKind.FIRST,
                content=template.published_revision.content,
            )
            for m in minutes
        ]
    )
    MinutesPublication.objects.bulk_create([MinutesPublication(revision=r) for r in revisions])
    for m, r in zip(minutes, revisions, strict=True):
        m.current_revision = r
        m.published_revision = r
    Minutes.objects.bulk_update(minutes, ["current_revision", "published_revision"])


def _url(spec: str) -> str:
    if spec == "profile":
        slug = (
            Signature.objects.filter(
                withdrawal__isnull=True, organisation__side=PartySide.CIVIL_SOCIETY
            )
            .order_by("pk")
            .values_list("organisation__slug", flat=True)[0]
        )
        return f"/undertecknare/{slug}/"
    if spec == "minutes":
        meeting = Minutes.objects.exclude(published_revision=None).order_by("pk")[0].meeting_id
        return f"/moten/{meeting}/protokoll/"
    return spec


def _count(client, url: str) -> int:
    public_cache_bump()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def test_every_benchmarked_page_makes_the_same_pinned_number_of_queries_for_10_and_1000_rows(
    client, lov
):
    """One test for all pages (seeding is the slow part); the assertion names each page."""
    demo_create(agreement=lov, organisations=SMALL)
    staff = get_user_model().objects.get(email__startswith="personal")
    # Staff pages need an authenticator app (MFA); the demo staff member has none yet.
    Authenticator.objects.get_or_create(
        user=staff, type=Authenticator.Type.TOTP, defaults={"data": {"secret": "test"}}
    )
    urls = {page: _url(spec) for page, (spec, _staff, _pinned) in PAGES.items()}

    def measure() -> dict[str, int]:
        counts = {}
        for page, (_spec, as_staff, _pinned) in PAGES.items():
            if as_staff:
                client.force_login(staff)
            client.get(urls[page])  # one-off lookups (content types, sites) are cached once
            counts[page] = _count(client, urls[page])
            client.logout()
        return counts

    small = measure()
    _grow_register(LARGE)
    _grow_commitments(LARGE)
    _grow_meetings(LARGE)
    large = measure()
    pinned = {
        page: count + (session_queries() if as_staff else 0)
        for page, (_spec, as_staff, count) in PAGES.items()
    }
    if connection.vendor == "postgresql":
        pinned["register, search"] += 1  # the full-text matches are read first, from the index
    assert small == pinned
    assert large == pinned
    assert Signature.objects.count() > LARGE
    assert StatusUpdate.objects.count() > LARGE
    assert Minutes.objects.exclude(published_revision=None).count() > LARGE
