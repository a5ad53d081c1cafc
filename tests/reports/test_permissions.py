"""Who may see and download the follow-up reports (the permissions matrix, tests/permissions.py).

Reports are for staff and the cooperation group's current members (the secretary and the
checker of the world); organisations' members and anonymous visitors are refused.
"""

from tests.permissions import LOGIN, Row, World, expect, matrix_test

GROUP_AND_STAFF = expect(403, secretary=200, checker=200, staff=200)


def _edition(world: World) -> dict:
    if "edition" not in world.extra:
        from django.core.files.base import ContentFile

        from lov_portal.reports.models import EditionStatus, ReportEdition

        edition = ReportEdition.objects.create(year=2025, edition=1, status=EditionStatus.DONE)
        edition.file.save("rapport.pdf", ContentFile(b"%PDF-1.7 test"), save=True)
        world.extra["edition"] = edition
    return {"pk": world.extra["edition"].pk}


PERMISSIONS = [
    Row("reports:list", expect(GROUP_AND_STAFF, anonymous=LOGIN)),
    Row("reports:status", GROUP_AND_STAFF, kwargs=_edition),
    Row("reports:download", GROUP_AND_STAFF, kwargs=_edition),
]


test_reports_permissions = matrix_test(PERMISSIONS)
