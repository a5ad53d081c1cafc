"""Staff and cooperation-group actions leave a trace in the audit log."""

import pytest

from agreements.services import signature_create, withdrawal_create
from lov_portal.audit.models import AuditEvent
from organisations.models import MembershipRole, OrganisationStatus
from organisations.services import application_review, membership_role_set
from tests.accounts.factories import UserFactory
from tests.agreements.factories import AgreementVersionFactory
from tests.organisations.factories import MembershipFactory, OrganisationApplicationFactory

pytestmark = pytest.mark.django_db


def actions() -> list[str]:
    return list(AuditEvent.objects.order_by("pk").values_list("action", flat=True))


def test_reviewing_an_application_is_logged_with_who_and_what():
    staff = UserFactory(staff=True)
    application = OrganisationApplicationFactory()
    application_review(application=application, reviewer=staff, action="reject", reason="Nej")
    event = AuditEvent.objects.get(action="organisation.application.reject")
    assert event.actor == staff
    assert event.data["reason"] == "Nej"
    application.organisation.refresh_from_db()
    assert application.organisation.status == OrganisationStatus.REJECTED


def test_withdrawing_a_signature_is_logged():
    version = AgreementVersionFactory()
    admin = UserFactory()
    membership = MembershipFactory(user=admin, role=MembershipRole.ADMIN)
    signature_create(organisation=membership.organisation, version=version, signer_name="A")
    withdrawal_create(
        organisation=membership.organisation,
        agreement=version.agreement,
        withdrawn_by=admin,
        reason="Upphör",
    )
    assert "signature.withdrawn" in actions()


def test_changing_a_role_is_logged():
    admin = MembershipFactory(role=MembershipRole.ADMIN)
    member = MembershipFactory(organisation=admin.organisation, role=MembershipRole.MEMBER)
    membership_role_set(membership=member, role=MembershipRole.SIGNATORY, changed_by=admin.user)
    event = AuditEvent.objects.get(action="organisation.role_changed")
    assert event.data == {"user": member.user_id, "role": "signatory"}
