import datetime

import pytest

from commitments.models import Commitment, CommitmentStatus, StatusUpdate
from lov_portal.core.models import ImmutableRecordError

pytestmark = pytest.mark.django_db


def test_status_updates_are_append_only(lov):
    commitment = Commitment.objects.first()
    update = StatusUpdate.objects.create(
        commitment=commitment,
        status=CommitmentStatus.IN_PROGRESS,
        refers_to=datetime.date(2026, 1, 1),
    )
    update.status = CommitmentStatus.ACHIEVED
    with pytest.raises(ImmutableRecordError):
        update.save()
    with pytest.raises(ImmutableRecordError):
        update.delete()
    correction = StatusUpdate.objects.create(
        commitment=commitment,
        status=CommitmentStatus.ACHIEVED,
        refers_to=datetime.date(2026, 1, 1),
        corrects=update,
    )
    assert list(update.corrections.all()) == [correction]


def test_new_commitments_start_not_started(lov):
    assert set(Commitment.objects.values_list("status", flat=True)) == {
        CommitmentStatus.NOT_STARTED
    }
