import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from commitments.models import Commitment, CommitmentStatus, StatusUpdate
from commitments.services import status_update_create
from lov_portal.core.models import ImmutableRecordError
from tests.accounts.factories import UserFactory
from tests.commitments.factories import CommitmentFactory

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 3, 1)


def _update(commitment, author, status, **more) -> StatusUpdate:
    """`status_update_create`: `author` posts `status` on `commitment`, referring to DAY."""
    return status_update_create(
        commitment=commitment, author=author, status=status, refers_to=DAY, **more
    )


def test_posting_an_update_changes_the_current_status_and_keeps_the_history():
    owner = UserFactory()
    commitment = CommitmentFactory(owners=[owner])
    first = _update(commitment, owner, CommitmentStatus.IN_PROGRESS)
    second = _update(commitment, owner, CommitmentStatus.ACHIEVED)
    commitment.refresh_from_db()
    assert commitment.status == CommitmentStatus.ACHIEVED
    assert commitment.last_update_at == second.created_at
    assert list(commitment.updates.order_by("pk")) == [first, second]
    assert StatusUpdate.objects.get(pk=first.pk).status == CommitmentStatus.IN_PROGRESS


def test_an_owner_of_one_commitment_cannot_post_on_another():
    owner = UserFactory()
    CommitmentFactory(owners=[owner])
    other = CommitmentFactory()
    with pytest.raises(PermissionDenied):
        _update(other, owner, CommitmentStatus.STALLED)
    assert not StatusUpdate.objects.exists()
    other.refresh_from_db()
    assert other.status == CommitmentStatus.NOT_STARTED


def test_staff_may_post_on_any_commitment_and_mark_it_internal():
    staff = UserFactory(staff=True)
    commitment = CommitmentFactory()
    update = _update(commitment, staff, CommitmentStatus.STALLED, is_internal=True)
    assert update.is_internal
    # Internal: the history has it, the status the public sees does not.
    assert Commitment.objects.get(pk=commitment.pk).status == CommitmentStatus.NOT_STARTED


def test_an_internal_update_never_changes_the_public_status_or_date():
    staff = UserFactory(staff=True)
    commitment = CommitmentFactory()
    public = _update(commitment, staff, CommitmentStatus.IN_PROGRESS)
    _update(commitment, staff, CommitmentStatus.STALLED, is_internal=True)
    commitment.refresh_from_db()
    assert commitment.status == CommitmentStatus.IN_PROGRESS
    assert commitment.last_update_at == public.created_at
    # The next public update wins again.
    later = _update(commitment, staff, CommitmentStatus.ACHIEVED)
    commitment.refresh_from_db()
    assert commitment.status == CommitmentStatus.ACHIEVED
    assert commitment.last_update_at == later.created_at


def test_an_owner_cannot_mark_an_update_internal():
    owner = UserFactory()
    commitment = CommitmentFactory(owners=[owner])
    with pytest.raises(PermissionDenied):
        _update(commitment, owner, CommitmentStatus.ONGOING, is_internal=True)


def test_a_member_of_the_public_cannot_post():
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied):
        _update(CommitmentFactory(), AnonymousUser(), CommitmentStatus.ONGOING)


def test_a_correction_is_a_new_update_naming_the_one_it_corrects():
    staff = UserFactory(staff=True)
    commitment = CommitmentFactory()
    wrong = _update(commitment, staff, CommitmentStatus.ACHIEVED)
    fix = _update(
        commitment,
        staff,
        CommitmentStatus.IN_PROGRESS,
        narrative="Rättelse: arbetet är inte klart.",
        corrects=wrong,
    )
    assert fix.corrects == wrong
    assert list(wrong.corrections.all()) == [fix]
    assert Commitment.objects.get(pk=commitment.pk).status == CommitmentStatus.IN_PROGRESS
    assert StatusUpdate.objects.count() == 2


def test_a_correction_must_correct_an_update_of_the_same_commitment():
    staff = UserFactory(staff=True)
    elsewhere = _update(CommitmentFactory(), staff, "ongoing")
    with pytest.raises(ValidationError):
        _update(CommitmentFactory(), staff, "ongoing", corrects=elsewhere)


def test_updates_are_never_changed_or_deleted():
    staff = UserFactory(staff=True)
    update = _update(CommitmentFactory(), staff, "ongoing")
    update.narrative = "ändrad"
    with pytest.raises(ImmutableRecordError):
        update.save()
    with pytest.raises(ImmutableRecordError):
        update.delete()


def test_a_retired_commitment_takes_no_updates():
    staff = UserFactory(staff=True)
    commitment = CommitmentFactory(retired_at=timezone.now())
    with pytest.raises(ValidationError):
        _update(commitment, staff, "ongoing")


def test_the_migration_recomputes_the_public_status_from_public_updates_only():
    import importlib

    from django.apps import apps

    from tests.commitments.factories import StatusUpdateFactory

    migration = importlib.import_module(
        "commitments.migrations.0004_public_status_from_public_updates_only"
    )
    commitment = CommitmentFactory()
    public = StatusUpdateFactory(commitment=commitment, status=CommitmentStatus.IN_PROGRESS)
    StatusUpdateFactory(commitment=commitment, status=CommitmentStatus.STALLED, is_internal=True)
    only_internal = CommitmentFactory()
    StatusUpdateFactory(
        commitment=only_internal, status=CommitmentStatus.ACHIEVED, is_internal=True
    )
    # As the old service left them: the internal update's status shown to the public.
    Commitment.objects.filter(pk__in=[commitment.pk, only_internal.pk]).update(
        status=CommitmentStatus.STALLED, last_update_at=timezone.now()
    )
    untouched = CommitmentFactory(status=CommitmentStatus.ONGOING)
    migration.recompute(apps, None)
    commitment.refresh_from_db()
    only_internal.refresh_from_db()
    untouched.refresh_from_db()
    assert (commitment.status, commitment.last_update_at) == (
        CommitmentStatus.IN_PROGRESS,
        public.created_at,
    )
    assert (only_internal.status, only_internal.last_update_at) == (
        CommitmentStatus.NOT_STARTED,
        None,
    )
    assert untouched.status == CommitmentStatus.ONGOING


def test_changing_and_retiring_a_commitment_are_recorded_in_the_audit_log(rf):
    from commitments.services import commitment_retire, commitment_update
    from lov_portal.audit.models import AuditEvent

    staff = UserFactory(staff=True)
    commitment = CommitmentFactory()
    request = rf.post("/", REMOTE_ADDR="192.0.2.7")
    commitment_update(
        commitment=commitment,
        actor=staff,
        changed=["text", "owners"],
        request=request,
        text="Ny lydelse",
    )
    commitment_retire(commitment=commitment, actor=staff, request=request)
    events = list(AuditEvent.objects.filter(object_id=str(commitment.pk)).order_by("pk"))
    assert [(e.action, e.actor, e.ip_address) for e in events] == [
        ("commitment.changed", staff, "192.0.2.7"),
        ("commitment.retired", staff, "192.0.2.7"),
    ]
    assert events[0].data == {"fields": ["owners", "text"]}
    commitment.refresh_from_db()
    assert commitment.text == "Ny lydelse" and commitment.retired_at is not None
