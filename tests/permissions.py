"""The permissions matrix: every URL of the project × every role → the expected status.

Each app keeps its table in `tests/<app>/test_permissions.py` as a module-level list called
`PERMISSIONS` of `Row`s, and runs it with `test_<app>_permissions = matrix_test(PERMISSIONS)`
(see docs/security.md).
`tests/security/test_permission_matrix.py` fails when a URL pattern of the project has no row
in any table: a new view without a row fails the test.

Roles (`World.users`):
- anonymous: not logged in
- member: member (role "member") of `world.organisation`
- other_member: member of `world.other_organisation`
- secretary: the cooperation group's secretary (meetings.GroupMember role "secretary")
- checker: a member of the cooperation group (GroupMember role "member"), who checks minutes
- staff: is_staff with a TOTP authenticator (MFA set up)
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation

ANONYMOUS = "anonymous"
MEMBER = "member"
OTHER_MEMBER = "other_member"
SECRETARY = "secretary"
CHECKER = "checker"
STAFF = "staff"
ROLES = (ANONYMOUS, MEMBER, OTHER_MEMBER, SECRETARY, CHECKER, STAFF)

# Expected outcome that is not a plain status: a redirect to the login page.
LOGIN = "login"


@dataclass
class World:
    """The objects every row's kwargs factory can use."""

    agreement: Any
    group: Any
    organisation: Any
    other_organisation: Any
    users: dict[str, Any] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Row:
    """One URL and method with the expected status for each role.

    `expected` maps every role in ROLES to a status code or LOGIN. `kwargs` builds the URL's
    keyword arguments from the World (objects an app needs can be made there too, or kept in
    `world.extra`); `data` builds the POST body.
    """

    url_name: str
    expected: dict[str, int | str]
    kwargs: Callable[[World], dict[str, Any]] = lambda world: {}
    method: str = "get"
    data: Callable[[World], dict[str, Any]] = lambda world: {}

    def __post_init__(self) -> None:
        missing = set(ROLES) - set(self.expected)
        if missing:
            raise ValueError(f"{self.url_name}: no expected status for {sorted(missing)}")

    @staticmethod
    def post_only(
        url_name: str,
        expected: dict[str, int | str],
        *,
        kwargs: Callable[[World], dict[str, Any]] = lambda world: {},
        data: Callable[[World], dict[str, Any]] = lambda world: {},
    ) -> list[Row]:
        """The two rows of a view that takes only POST: the POST, expecting `expected`, and a
        GET, which answers 405 to anyone logged in (anonymous visitors are sent to log in).
        In a table: `*Row.post_only("app:name", MANAGERS, kwargs=_pk, data=...)`."""
        return [
            Row(url_name, expected, kwargs=kwargs, method="post", data=data),
            Row(url_name, logged_in(405), kwargs=kwargs),
        ]


def everyone(status: int | str) -> dict[str, int | str]:
    return dict.fromkeys(ROLES, status)


def expect(default: int | str | dict[str, int | str], **by_role: int | str) -> dict[str, int | str]:
    """`default` (a status for every role, or another row's statuses) with the roles named by
    keyword changed: `expect(403, anonymous=LOGIN, member=200, staff=200)`."""
    unknown = set(by_role) - set(ROLES)
    if unknown:
        raise ValueError(f"no such role: {sorted(unknown)}")
    base = dict(default) if isinstance(default, dict) else everyone(default)
    return {**base, **by_role}


def staff_only() -> dict[str, int | str]:
    """Logged-in non-staff get 403, anonymous visitors are sent to log in."""
    return expect(403, anonymous=LOGIN, staff=200)


def logged_in(status: int = 200) -> dict[str, int | str]:
    return expect(status, anonymous=LOGIN)


def make_staff_with_mfa(email: str = "staff@example.se"):
    from allauth.mfa.models import Authenticator

    from tests.accounts.factories import UserFactory

    user = UserFactory(email=email, is_staff=True)
    Authenticator.objects.get_or_create(
        user=user, type=Authenticator.Type.TOTP, defaults={"data": {"secret": "test"}}
    )
    return user


def admin_saves_user(client, user, **changes) -> None:
    """Staff (superuser, with MFA) save `user`'s change form in the admin with `changes`; an
    "aktiv" left out of `changes` is unticked. Each call logs in a new staff member."""
    from lov_portal.accounts.models import User

    staff = make_staff_with_mfa(email=f"kansli-{user.pk}-{User.objects.count()}@example.se")
    staff.is_superuser = True
    staff.save()
    client.force_login(staff)
    joined = user.date_joined
    form = {"email": user.email, "preferred_language": "sv", **changes}
    form |= {"date_joined_0": f"{joined:%Y-%m-%d}", "date_joined_1": f"{joined:%H:%M:%S}"}
    response = client.post(reverse("admin:accounts_user_change", args=[user.pk]), form)
    assert response.status_code == 302, response.content.decode()[:2000]
    user.refresh_from_db()


def build_world() -> World:
    from django.conf import settings

    from agreements.models import Agreement
    from meetings.models import CooperationGroup, GroupMember, MemberRole
    from organisations.models import MembershipRole
    from tests.accounts.factories import UserFactory
    from tests.agreements.factories import AgreementFactory, AgreementVersionFactory
    from tests.organisations.factories import MembershipFactory, OrganisationFactory

    agreement = Agreement.objects.filter(slug=settings.DEFAULT_AGREEMENT_SLUG).first()
    if agreement is None:
        agreement = AgreementFactory(slug=settings.DEFAULT_AGREEMENT_SLUG)
        AgreementVersionFactory(agreement=agreement)
    group, _created = CooperationGroup.objects.get_or_create(
        agreement=agreement, defaults={"name": "Samverkansgruppen"}
    )
    organisation = OrganisationFactory()
    other_organisation = OrganisationFactory()
    member = UserFactory(email="member@example.se")
    MembershipFactory(user=member, organisation=organisation, role=MembershipRole.MEMBER)
    other_member = UserFactory(email="other-member@example.se")
    MembershipFactory(
        user=other_member, organisation=other_organisation, role=MembershipRole.MEMBER
    )
    term_start = datetime.date(2024, 1, 1)
    secretary = UserFactory(email="secretary@example.se")
    GroupMember.objects.create(
        group=group,
        user=secretary,
        side="public",
        role=MemberRole.SECRETARY,
        term_start=term_start,
    )
    checker = UserFactory(email="checker@example.se")
    GroupMember.objects.create(
        group=group,
        user=checker,
        organisation=organisation,
        side="civil_society",
        role=MemberRole.MEMBER,
        term_start=term_start,
    )
    staff = make_staff_with_mfa()
    users = {
        ANONYMOUS: None,
        MEMBER: member,
        OTHER_MEMBER: other_member,
        SECRETARY: secretary,
        CHECKER: checker,
        STAFF: staff,
    }
    return World(
        agreement=agreement,
        group=group,
        organisation=organisation,
        other_organisation=other_organisation,
        users=users,
    )


def matrix_cases(table: Iterable[Row]) -> list[Any]:
    """pytest.param per (row, role), with readable ids; use with `run_case`."""
    return [
        pytest.param(row, role, id=f"{row.method.upper()} {row.url_name} as {role}")
        for row in table
        for role in ROLES
    ]


def matrix_test(table: Iterable[Row]) -> Callable[..., None]:
    """The test of an app's table: `test_<app>_permissions = matrix_test(PERMISSIONS)`, one
    case per row and role (`matrix_cases`), each run by `run_case`."""

    @pytest.mark.parametrize(("row", "role"), matrix_cases(table))
    def test(client, matrix_world: World, row: Row, role: str) -> None:
        run_case(client, matrix_world, row, role)

    return test


def run_case(client, world: World, row: Row, role: str) -> None:
    """Request the row's URL as the role and assert the expected status."""
    user = world.users[role]
    if user is not None:
        client.force_login(user)
    with translation.override("sv"):
        url = reverse(row.url_name, kwargs=row.kwargs(world))
    response = getattr(client, row.method.lower())(url, data=row.data(world))
    expected = row.expected[role]
    where = f"{row.method.upper()} {url} as {role}"
    if expected == LOGIN:
        login_url = reverse("account_login")
        assert response.status_code == 302, f"{where}: {response.status_code}, expected login"
        assert response.headers["Location"].startswith(login_url), (
            f"{where}: redirected to {response.headers['Location']}"
        )
    else:
        assert response.status_code == expected, (
            f"{where}: {response.status_code}, expected {expected}"
        )


def run_staff_without_mfa(client, world: World, row: Row) -> None:
    """Staff must have MFA on every page they reach (StaffMFAMiddleware): a staff member
    without an authenticator is sent to allauth's page for setting one up, from staff pages,
    from pages they share with the group's secretary and from public pages alike."""
    from tests.accounts.factories import UserFactory

    client.force_login(UserFactory(email="staff-without-mfa@example.se", is_staff=True))
    with translation.override("sv"):
        url = reverse(row.url_name, kwargs=row.kwargs(world))
        setup_url = reverse("mfa_activate_totp")
    response = getattr(client, row.method.lower())(url, data=row.data(world))
    where = f"{row.method.upper()} {url} as staff without MFA"
    assert response.status_code == 302, f"{where}: {response.status_code}, expected MFA setup"
    assert response.headers["Location"].startswith(setup_url), (
        f"{where}: redirected to {response.headers['Location']}"
    )
