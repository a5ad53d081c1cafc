"""Journey 4 of issue 7: staff generate the annual follow-up report and download the PDF."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from .helpers import axe_report, axe_run

pytestmark = pytest.mark.e2e


def test_staff_generate_the_annual_report_and_download_the_pdf(
    server, logged_in_as, screenshot, tmp_path
):
    from lov_portal.reports.models import ReportEdition

    page = logged_in_as("staff")
    page.goto("/rapporter/")
    screenshot(page, "journey-report-1-list")
    year = str(datetime.date.today().year - 1)
    page.get_by_label("År").fill(year)
    with page.expect_navigation():
        page.get_by_role("button", name="Skapa rapporten").click()

    # The task runs in the live server's process (eager Celery, see conftest); the row's htmx
    # polling shows the finished file.
    link = page.get_by_role("link", name=f"Ladda ner rapporten {year}")
    link.wait_for(timeout=60_000)
    screenshot(page, "journey-report-2-finished")
    violations = axe_run(page)
    with page.expect_download() as download_info:
        link.click()
    target = Path(tmp_path) / "report.pdf"
    download_info.value.save_as(target)

    assert not violations, axe_report(violations, where="/rapporter/ (finished)")
    assert target.read_bytes().startswith(b"%PDF")
    assert ReportEdition.objects.filter(year=int(year), status="done").count() == 1
