"""Who may see and download the follow-up reports (the permissions matrix, tests/permissions.py).

Reports are for staff and the cooperation group's current members (the secretary and the
checker of the world); organisations' members and anonymous visitors are refused.
"""

import pytest

from tests.permissions import (
    ANONYMOUS,
    CHECKER,
    LOGIN,
    MEMBER,
    OTHER_MEMBER,
    SECRETARY,
    STAFF,
    Row,
    World,
    matrix_cases,
    run_case,
)

GROUP_AND_STAFF = {
    ANONYMOUS: 403,
    MEMBER: 403,
    OTHER_MEMBER: 403,
    SECRETARY: 200,
    CHECKER: 200,
    STAFF: 200,
}


def _edition(world: World) -> dict:
    if "edition" not in world.extra:
        from django.core.files.base import ContentFile

        from lov_portal.reports.models import EditionStatus, ReportEdition

        edition = ReportEdition.objects.create(year=2025, edition=1, status=EditionStatus.DONE)
        edition.file.save("rapport.pdf", ContentFile(b"%PDF-1.7 test"), save=True)
        world.extra["edition"] = edition
    return {"pk": world.extra["edition"].pk}


PERMISSIONS = [
    Row("reports:list", {**GROUP_AND_STAFF, ANONYMOUS: LOGIN}),
    Row("reports:status", GROUP_AND_STAFF, kwargs=_edition),
    Row("reports:download", GROUP_AND_STAFF, kwargs=_edition),
]


@pytest.mark.parametrize(("row", "role"), matrix_cases(PERMISSIONS))
def test_reports_permissions(client, world, row, role):
    run_case(client, world, row, role)
