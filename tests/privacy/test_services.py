import datetime
import json

import pytest
from allauth.account.models import EmailAddress
from django.core.management import call_command
from django.utils import timezone

from agreements.models import Signature
from agreements.services import signature_create, signature_hash_fields, signature_record_hash
from commitments.models import StatusUpdate
from lov_portal.audit.models import AuditEvent
from lov_portal.audit.services import audit_record
from lov_portal.privacy.selectors import personal_data_export
from lov_portal.privacy.services import account_anonymise, ip_addresses_purge
from tests.accounts.factories import UserFactory
from tests.agreements.factories import AgreementVersionFactory
from tests.evidence import forced
from tests.organisations.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def sign(user, *, days_ago: int = 0, ip: str = "192.0.2.1"):
    return signature_create(
        organisation=OrganisationFactory(),
        version=AgreementVersionFactory(),
        signer=user,
        signer_name="Anna Andersson",
        ip_address=ip,
        user_agent="Firefox",
        signed_at=timezone.now() - datetime.timedelta(days=days_ago),
    )


def test_the_export_holds_account_memberships_signatures_and_group_roles(world):
    user = world.users["checker"]
    sign(user)
    data = personal_data_export(user=user)
    json.dumps(data)  # plain JSON
    assert data["account"]["email"] == "checker@example.se"
    assert data["memberships"] == []
    assert len(data["signatures"]) == 1
    assert data["signatures"][0]["ip_address"] == "192.0.2.1"
    assert data["group_memberships"][0]["role"] == "member"
    member_data = personal_data_export(user=world.users["member"])
    assert member_data["memberships"][0]["organisation"] == world.organisation.name
    assert member_data["signatures"] == []


def test_the_export_holds_status_updates_the_user_wrote(world, lov):
    from commitments.models import Commitment

    user = world.users["member"]
    commitment = Commitment.objects.first()
    StatusUpdate.objects.create(
        commitment=commitment,
        status=StatusUpdate._meta.get_field("status").choices[0][0],
        narrative="Vi har börjat.",
        refers_to=datetime.date(2025, 1, 1),
        author=user,
    )
    data = personal_data_export(user=user)
    assert data["status_updates"][0]["narrative"] == "Vi har börjat."


def test_deleting_anonymises_the_person_but_keeps_the_signature(world):
    user = world.users["member"]
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    signature = sign(user)
    account_anonymise(user=user)
    user.refresh_from_db()
    assert user.email == f"raderad-{user.pk}@anonymiserad.invalid"
    assert user.full_name == ""
    assert not user.is_active
    assert not user.has_usable_password()
    assert not user.memberships.exists()
    assert not EmailAddress.objects.filter(user=user).exists()
    kept = Signature.objects.get(pk=signature.pk)
    assert kept.signer == user
    assert kept.record_hash == signature.record_hash
    assert AuditEvent.objects.filter(action="account.delete").count() == 1


def test_old_ip_addresses_are_purged_and_new_ones_kept():
    user = UserFactory()
    old = sign(user, days_ago=400, ip="192.0.2.10")
    new = sign(user, days_ago=10, ip="192.0.2.11")
    old_event = audit_record(actor=user, action="x")
    new_event = audit_record(actor=user, action="y")
    with forced():  # set up the history; the purge itself runs with the triggers in place
        AuditEvent.objects.filter(pk=old_event.pk).update(
            ip_address="192.0.2.12", created_at=timezone.now() - datetime.timedelta(days=400)
        )
        AuditEvent.objects.filter(pk=new_event.pk).update(ip_address="192.0.2.13")
    counts = ip_addresses_purge(older_than=timezone.now() - datetime.timedelta(days=365))
    assert counts == {"signatures": 1, "audit_events": 1}
    old.refresh_from_db()
    new.refresh_from_db()
    assert old.ip_address is None and old.user_agent == ""
    assert new.ip_address == "192.0.2.11"
    assert AuditEvent.objects.get(pk=old_event.pk).ip_address is None
    assert AuditEvent.objects.get(pk=new_event.pk).ip_address == "192.0.2.13"
    # The register's hash chain does not cover the IP address, so it still verifies.
    assert signature_record_hash(signature_hash_fields(old), old.previous_hash) == old.record_hash


def test_the_purge_command_takes_a_number_of_days(capsys):
    user = UserFactory()
    sign(user, days_ago=40)
    call_command("purge_ip_addresses", "--days", "30")
    assert "Cleared 1 signatures" in capsys.readouterr().out
    assert Signature.objects.get().ip_address is None
