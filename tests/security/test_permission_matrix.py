"""Every URL pattern of the project has a row in some app's permissions table.

Tables are the `PERMISSIONS` lists in `tests/*/test_permissions.py` (tests/permissions.py).
"""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

from tests.permissions import (
    LOGIN,
    ROLES,
    Row,
    everyone,
    matrix_cases,
    run_case,
    run_staff_without_mfa,
)
from tests.urlwalk import all_endpoints, is_project_endpoint

TESTS = Path(__file__).resolve().parent.parent


def permission_tables() -> dict[str, list[Row]]:
    tables = {}
    for path in sorted(TESTS.glob("*/test_permissions.py")):
        module_name = ".".join(path.relative_to(TESTS.parent).with_suffix("").parts)
        module = importlib.import_module(module_name)
        tables[module_name] = module.PERMISSIONS
    return tables


def covered_rows() -> list[Row]:
    return [row for table in permission_tables().values() for row in table]


def covered_names() -> set[str]:
    return {row.url_name for row in covered_rows()}


def uncovered(endpoints, names: set[str]) -> list[str]:
    missing = []
    for endpoint in endpoints:
        if not is_project_endpoint(endpoint):
            continue
        if not endpoint.name:
            missing.append(f"{endpoint.route} (unnamed: give it a name and a row)")
        elif endpoint.name not in names:
            missing.append(endpoint.name)
    return sorted(set(missing))


def test_every_project_url_has_a_row_in_a_permissions_table():
    assert uncovered(all_endpoints(), covered_names()) == []


def test_a_new_view_without_a_row_is_reported():
    endpoints = all_endpoints()
    names = covered_names() - {"privacy"}
    assert uncovered(endpoints, names) == ["privacy"]


def _one_row_per_url_and_method() -> list:
    params, seen = [], set()
    for table in permission_tables().values():
        for row in table:
            if (row.url_name, row.method) not in seen:
                seen.add((row.url_name, row.method))
                params.append(pytest.param(row, id=f"{row.method.upper()} {row.url_name}"))
    return params


@pytest.mark.parametrize("row", _one_row_per_url_and_method())
def test_staff_without_mfa_are_sent_to_set_it_up_on_every_url(client, matrix_world, row):
    # Every URL, not only the staff-only ones: the meeting pages staff share with the group's
    # secretary, and the public pages that show staff more than the public, need MFA too.
    run_staff_without_mfa(client, matrix_world, row)


def test_every_url_with_a_row_is_checked_for_staff_without_mfa():
    names = {row.url_name for row in covered_rows()}
    checked = {param.values[0].url_name for param in _one_row_per_url_and_method()}
    assert checked == names
    assert {"meetings:meeting_create", "meetings:minutes_edit", "home"} <= checked


def test_admin_allauth_and_health_need_no_row():
    names = {endpoint.name for endpoint in all_endpoints() if is_project_endpoint(endpoint)}
    assert "home" in names
    assert not {"health", "account_login", "admin:index", "mfa_index"} & names


def test_a_row_must_name_every_role():
    with pytest.raises(ValueError, match="no expected status"):
        Row("home", {"anonymous": 200})


def test_the_matrix_fails_when_the_status_is_wrong(client, matrix_world):
    row = Row("home", {**everyone(200), "member": 403})
    with pytest.raises(AssertionError, match="expected 403"):
        run_case(client, matrix_world, row, "member")
    with pytest.raises(AssertionError, match="expected login"):
        run_case(client, matrix_world, Row("home", everyone(LOGIN)), "anonymous")


def test_the_world_has_every_role(matrix_world):
    from meetings.models import MemberRole

    world = matrix_world

    assert set(world.users) == set(ROLES)
    assert world.users["anonymous"] is None
    assert world.users["member"].memberships.get().organisation == world.organisation
    assert world.users["other_member"].memberships.get().organisation == world.other_organisation
    assert world.users["secretary"].group_memberships.get().role == MemberRole.SECRETARY
    assert world.users["checker"].group_memberships.get().role == MemberRole.MEMBER
    assert world.users["staff"].is_staff
    assert len(matrix_cases([Row("home", everyone(200))])) == len(ROLES)
