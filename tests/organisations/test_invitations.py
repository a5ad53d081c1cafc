from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from organisations.models import Invitation, Membership, MembershipRole
from tests.accounts.factories import UserFactory
from tests.organisations.factories import MembershipFactory, log_in_as

pytestmark = pytest.mark.django_db


def _members_url(organisation):
    return reverse("organisations:members", args=[organisation.slug])


def test_admin_invites_a_representative_who_accepts_with_the_role(
    client, django_capture_on_commit_callbacks
):
    admin = MembershipFactory(role=MembershipRole.ADMIN)
    client.force_login(admin.user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            _members_url(admin.organisation),
            {"invite-email": "Ny@Example.se", "invite-role": MembershipRole.SIGNATORY},
        )
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert invitation.email == "ny@example.se"
    assert mail.outbox[-1].to == ["ny@example.se"]
    assert invitation.token in mail.outbox[-1].body
    invited = UserFactory(email="ny@example.se")
    client.force_login(invited)
    url = reverse("organisations:invitation_accept", args=[invitation.token])
    assert client.get(url).status_code == 200
    assert client.post(url).status_code == 302
    membership = Membership.objects.get(user=invited, organisation=admin.organisation)
    assert membership.role == MembershipRole.SIGNATORY
    assert client.post(url, follow=True).status_code == 200
    assert Membership.objects.filter(user=invited).count() == 1


def test_invitation_cannot_be_accepted_by_another_address_or_after_expiry(client):
    admin = MembershipFactory(role=MembershipRole.ADMIN)
    invitation = Invitation.objects.create(
        organisation=admin.organisation,
        email="ratt@example.se",
        role=MembershipRole.ADMIN,
        token="t1",
        expires_at=timezone.now() + datetime.timedelta(days=1),
    )
    client.force_login(UserFactory(email="fel@example.se"))
    response = client.post(reverse("organisations:invitation_accept", args=["t1"]), follow=True)
    assert "Inbjudan gäller en annan e-postadress" in response.content.decode()
    assert not Membership.objects.filter(user__email="fel@example.se").exists()
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now())
    client.force_login(UserFactory(email="ratt@example.se"))
    client.post(reverse("organisations:invitation_accept", args=["t1"]))
    assert not Membership.objects.filter(user__email="ratt@example.se").exists()


def test_invalid_invitation_email_keeps_what_was_typed(client):
    admin = MembershipFactory(role=MembershipRole.ADMIN)
    client.force_login(admin.user)
    response = client.post(
        _members_url(admin.organisation),
        {"invite-email": "inte-en-adress", "invite-role": MembershipRole.MEMBER},
    )
    assert response.status_code == 200
    assert 'value="inte-en-adress"' in response.content.decode()
    assert not Invitation.objects.exists()


def test_admin_sets_roles_but_the_last_admin_stays(client):
    admin = MembershipFactory(role=MembershipRole.ADMIN)
    member = MembershipFactory(organisation=admin.organisation, role=MembershipRole.MEMBER)
    client.force_login(admin.user)
    client.post(
        reverse("organisations:membership_role", args=[member.pk]),
        {"role": MembershipRole.SIGNATORY},
    )
    member.refresh_from_db()
    assert member.role == MembershipRole.SIGNATORY
    response = client.post(
        reverse("organisations:membership_role", args=[admin.pk]),
        {"role": MembershipRole.MEMBER},
        follow=True,
    )
    admin.refresh_from_db()
    assert admin.role == MembershipRole.ADMIN
    assert "minst en administratör" in response.content.decode()


@pytest.mark.parametrize(
    ("who", "page", "role_change"),
    [
        ("anonymous", 302, 302),
        ("member", 403, 403),
        ("signatory", 403, 403),
        ("other", 403, 403),
        ("staff", 403, 403),
        ("admin", 200, 302),
    ],
)
def test_permissions_of_the_members_page(client, who, page, role_change):
    admin = MembershipFactory(role=MembershipRole.ADMIN)
    organisation = admin.organisation
    target = MembershipFactory(organisation=organisation)
    if who == "member":  # the member whose role the post would change
        client.force_login(target.user)
    elif who == "admin":
        client.force_login(admin.user)
    else:
        log_in_as(client, who, organisation)
    assert client.get(_members_url(organisation)).status_code == page
    response = client.post(
        reverse("organisations:membership_role", args=[target.pk]), {"role": "admin"}
    )
    assert response.status_code == role_change
