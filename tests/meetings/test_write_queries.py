"""The number of queries of publishing minutes is pinned (Zulip style)."""

from __future__ import annotations

from meetings import services
from meetings.models import MinutesStatus

from .conftest import approved

# A savepoint, the minutes locked, the current revision, the publication, the minutes row,
# the audit record, release.
PUBLISH_QUERIES = 7


def test_publishing_minutes_runs_a_fixed_number_of_queries(world, django_assert_max_num_queries):
    minutes = approved(world)
    with django_assert_max_num_queries(PUBLISH_QUERIES):
        services.minutes_publish(minutes=minutes, by=world.secretary)
    minutes.refresh_from_db()
    assert minutes.status == MinutesStatus.PUBLISHED
