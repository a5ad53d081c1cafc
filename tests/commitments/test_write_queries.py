"""The number of queries of a status update is pinned (Zulip style) and does not grow with the
commitment's history."""

from __future__ import annotations

import datetime

import pytest

from commitments.models import CommitmentStatus
from commitments.services import status_update_create
from tests.accounts.factories import UserFactory
from tests.commitments.factories import CommitmentFactory

pytestmark = pytest.mark.django_db

# The owner check; a savepoint, the commitment locked, two existence checks (the update's
# foreign keys, from model validation), the update, the commitment's denormalised status, the
# audit record, release.
STATUS_UPDATE_QUERIES = 9


@pytest.mark.parametrize("earlier", [0, 20])
def test_a_status_update_runs_a_fixed_number_of_queries(earlier, django_assert_max_num_queries):
    owner = UserFactory()
    commitment = CommitmentFactory(owners=[owner])
    for n in range(earlier):
        status_update_create(
            commitment=commitment,
            author=owner,
            status=CommitmentStatus.IN_PROGRESS,
            refers_to=datetime.date(2026, 1, 1) + datetime.timedelta(days=n),
            narrative=f"Uppdatering {n}.",
        )
    with django_assert_max_num_queries(STATUS_UPDATE_QUERIES):
        update = status_update_create(
            commitment=commitment,
            author=owner,
            status=CommitmentStatus.ACHIEVED,
            refers_to=datetime.date(2026, 3, 1),
            narrative="Klart.",
        )
    commitment.refresh_from_db()
    assert commitment.status == CommitmentStatus.ACHIEVED
    assert update.pk is not None
