"""A test per permission predicate (adhocracy+ style), beside the HTTP matrix: the shared
vocabulary in lov_portal.accounts.permissions and the predicates each app's rules.py adds."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.test import RequestFactory
from django.views import View

from commitments import rules as commitment_rules
from lov_portal.accounts.permissions import (
    PermissionRequiredMixin,
    has_perm,
    is_authenticated,
    is_staff,
    permission_required,
    require,
)
from lov_portal.reports import rules as report_rules
from meetings import rules as meeting_rules
from meetings.models import MemberRole, Minutes, MinutesStatus
from organisations import rules as organisation_rules
from organisations.models import MembershipRole, OrganisationStatus
from tests.accounts.factories import UserFactory
from tests.commitments.factories import CommitmentFactory
from tests.meetings.factories import CooperationGroupFactory, GroupMemberFactory, MeetingFactory
from tests.organisations.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


# --- The shared vocabulary ---------------------------------------------------------------


def test_is_staff_is_active_staff_only():
    assert is_staff(UserFactory(is_staff=True))
    assert not is_staff(UserFactory())
    assert not is_staff(UserFactory(is_staff=True, is_active=False))
    assert not is_staff(AnonymousUser())
    assert not is_staff(UserFactory(is_superuser=True))  # staff is a flag, not a rank


def test_is_staff_is_the_one_every_app_uses():
    assert organisation_rules.is_staff is is_staff
    assert commitment_rules.is_staff is is_staff
    assert meeting_rules.is_staff is is_staff
    assert report_rules.is_staff is is_staff


def test_is_authenticated():
    assert is_authenticated(UserFactory())
    assert not is_authenticated(AnonymousUser())


def test_has_perm_gives_a_superuser_no_bypass():
    superuser = UserFactory(is_superuser=True)
    organisation = OrganisationFactory()
    assert superuser.has_perm("agreements.sign", organisation)  # Django's answer
    assert not has_perm(superuser, "agreements.sign", organisation)  # ours: the rule's
    assert not has_perm(superuser, "commitments.manage")
    assert has_perm(UserFactory(is_staff=True), "commitments.manage")


def test_require_raises_permission_denied_unless_the_rule_allows():
    request = RequestFactory().get("/")
    request.user = UserFactory()
    with pytest.raises(PermissionDenied):
        require(request, "commitments.manage")
    request.user = UserFactory(is_staff=True)
    require(request, "commitments.manage")


def test_the_decorator_checks_the_rule_on_the_object_it_is_given():
    organisation = OrganisationFactory()
    admin = MembershipFactory(organisation=organisation, role=MembershipRole.ADMIN).user

    @permission_required("organisations.manage_organisation", obj=lambda request, pk: organisation)
    def view(request, pk):
        return HttpResponse("ok")

    request = RequestFactory().get("/")
    request.user = admin
    assert view(request, pk=organisation.pk).content == b"ok"
    for user in (UserFactory(), AnonymousUser(), UserFactory(is_superuser=True)):
        request.user = user
        with pytest.raises(PermissionDenied):
            view(request, pk=organisation.pk)


def test_the_mixin_checks_the_rule_and_is_closed_without_one():
    class Page(PermissionRequiredMixin, View):
        permission_required = "commitments.manage"

        def get(self, request):
            return HttpResponse("ok")

    class Forgotten(PermissionRequiredMixin, View):
        def get(self, request):
            return HttpResponse("ok")

    request = RequestFactory().get("/")
    request.user = UserFactory(is_staff=True)
    assert Page.as_view()(request).status_code == 200
    with pytest.raises(PermissionDenied):
        Forgotten.as_view()(request)
    request.user = UserFactory(is_superuser=True)
    with pytest.raises(PermissionDenied):
        Page.as_view()(request)


# --- organisations/rules.py ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("predicate", "roles"),
    [
        (organisation_rules.is_org_member, {"admin", "signatory", "member"}),
        (organisation_rules.is_org_admin, {"admin"}),
        (organisation_rules.is_org_signatory, {"admin", "signatory"}),
    ],
)
def test_organisation_role_predicates(predicate, roles):
    organisation = OrganisationFactory()
    for role in MembershipRole.values:
        user = MembershipFactory(organisation=organisation, role=role).user
        assert predicate(user, organisation) is (role in roles), role
        assert not predicate(user, OrganisationFactory())  # another organisation
    assert not predicate(AnonymousUser(), organisation)
    assert not predicate(UserFactory(is_staff=True), organisation)


def test_is_approved_and_is_info_requested():
    approved = OrganisationFactory(status=OrganisationStatus.APPROVED)
    asked = OrganisationFactory(status=OrganisationStatus.INFO_REQUESTED)
    user = UserFactory()
    assert organisation_rules.is_approved(user, approved)
    assert not organisation_rules.is_approved(user, asked)
    assert organisation_rules.is_info_requested(user, asked)
    assert not organisation_rules.is_info_requested(user, approved)
    assert not organisation_rules.is_approved(user, None)


# --- commitments/rules.py ------------------------------------------------------------------


def test_is_commitment_owner():
    owner = UserFactory()
    commitment = CommitmentFactory()
    commitment.owners.add(owner)
    assert commitment_rules.is_commitment_owner(owner, commitment)
    assert not commitment_rules.is_commitment_owner(UserFactory(), commitment)
    assert not commitment_rules.is_commitment_owner(AnonymousUser(), commitment)
    assert not commitment_rules.is_commitment_owner(owner, None)


# --- meetings/rules.py ---------------------------------------------------------------------


def test_is_group_member_counts_current_terms_only():
    group = CooperationGroupFactory()
    current = GroupMemberFactory(group=group).user
    ended = GroupMemberFactory(group=group, term_end=datetime.date(2021, 1, 1)).user
    assert meeting_rules.is_group_member(current, group)
    assert meeting_rules.is_group_member(current, MeetingFactory(group=group))
    assert not meeting_rules.is_group_member(ended, group)
    assert not meeting_rules.is_group_member(UserFactory(is_staff=True), group)


def test_is_group_secretary():
    group = CooperationGroupFactory()
    secretary = GroupMemberFactory(group=group, role=MemberRole.SECRETARY).user
    member = GroupMemberFactory(group=group).user
    assert meeting_rules.is_group_secretary(secretary, group)
    assert not meeting_rules.is_group_secretary(member, group)


def _minutes(**kwargs) -> Minutes:
    meeting = MeetingFactory()
    return Minutes.objects.create(meeting=meeting, **kwargs)


def test_is_minutes_approver_is_a_checker_or_the_chair():
    chair, checker, keeper = UserFactory(), UserFactory(), UserFactory()
    minutes = _minutes(chair=chair, secretary=keeper)
    minutes.checkers.add(checker)
    assert meeting_rules.is_minutes_approver(chair, minutes)
    assert meeting_rules.is_minutes_approver(checker, minutes.meeting)
    assert not meeting_rules.is_minutes_approver(keeper, minutes)
    assert not meeting_rules.is_minutes_approver(AnonymousUser(), minutes)


def test_is_minutes_keeper_is_the_secretary():
    keeper = UserFactory()
    minutes = _minutes(secretary=keeper)
    assert meeting_rules.is_minutes_keeper(keeper, minutes)
    assert not meeting_rules.is_minutes_keeper(UserFactory(), minutes)


def test_minutes_awaiting_approval():
    user = UserFactory()
    assert meeting_rules.minutes_awaiting_approval(user, _minutes(status=MinutesStatus.SENT))
    assert not meeting_rules.minutes_awaiting_approval(user, _minutes(status=MinutesStatus.DRAFT))


def test_attachment_is_published_refuses_anything_but_an_attachment():
    # The published case is covered through HTTP in tests/meetings (published minutes).
    assert not meeting_rules.attachment_is_published(UserFactory(), MeetingFactory())


# --- lov_portal/reports/rules.py -----------------------------------------------------------


def test_is_report_reader_is_staff_or_a_current_group_member():
    group = CooperationGroupFactory()
    assert report_rules.is_report_reader(UserFactory(is_staff=True))
    assert report_rules.is_report_reader(GroupMemberFactory(group=group).user)
    ended = GroupMemberFactory(group=group, term_end=datetime.date(2021, 1, 1)).user
    assert not report_rules.is_report_reader(ended)
    assert not report_rules.is_report_reader(UserFactory())
    assert not report_rules.is_report_reader(AnonymousUser())
