import datetime
from xml.etree import ElementTree

import pytest
from django.urls import reverse
from lxml import etree

from commitments import charts
from commitments.models import Commitment, CommitmentStatus, StatusUpdate
from commitments.selectors import status_counts_by_principle, updates_per_month
from tests.accounts.factories import UserFactory
from tests.commitments.factories import StatusUpdateFactory

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> ElementTree.Element:
    root = ElementTree.fromstring(svg)  # noqa: S314 - our own output; raises if not XML
    assert root.tag == f"{SVG}svg"
    return root


def assert_accessible(root: ElementTree.Element, chart_id: str) -> None:
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == f"{chart_id}-title {chart_id}-desc"
    assert root.find(f"{SVG}title").get("id") == f"{chart_id}-title"
    assert root.find(f"{SVG}title").text
    assert root.find(f"{SVG}desc").get("id") == f"{chart_id}-desc"
    assert root.find(f"{SVG}desc").text
    for element in root.iter():
        assert "style" not in element.attrib, element.tag


def test_status_chart_is_valid_accessible_svg_and_escapes_labels():
    svg = charts.status_by_principle_svg(
        rows=[('Dialog <&> "citat"', {"achieved": 2, "stalled": 1})], chart_id="c1"
    )
    root = parse(svg)
    assert_accessible(root, "c1")
    etree.fromstring(svg.encode())  # lxml agrees it is well-formed
    values = {
        r.get("data-status"): int(r.get("data-value"))
        for r in root.iter(f"{SVG}rect")
        if r.get("data-value")
    }
    assert values == {"achieved": 2, "stalled": 1}
    assert "style=" not in svg


def test_status_chart_with_no_rows_is_still_valid():
    assert_accessible(parse(charts.status_by_principle_svg(rows=[], chart_id="empty")), "empty")


def test_updates_chart_is_valid_accessible_svg():
    points = [(datetime.date(2026, 1, 1), 3), (datetime.date(2026, 2, 1), 0)]
    root = parse(charts.updates_over_time_svg(points=points, chart_id="c2"))
    assert_accessible(root, "c2")
    bars = {r.get("data-month"): int(r.get("data-value")) for r in root.iter(f"{SVG}rect")}
    assert bars == {"2026-01-01": 3, "2026-02-01": 0}


@pytest.mark.django_db
def test_status_chart_numbers_match_the_database(lov):
    staff = UserFactory(staff=True)
    for n, commitment in enumerate(Commitment.objects.all()):
        status = CommitmentStatus.values[n % 5]
        StatusUpdateFactory(commitment=commitment, status=status, author=staff)
        Commitment.objects.filter(pk=commitment.pk).update(status=status)
    rows = status_counts_by_principle(agreement=lov)
    root = parse(
        charts.status_by_principle_svg(rows=[(p.name, counts) for p, counts in rows], chart_id="x")
    )
    drawn: dict[tuple[str, str], int] = {}
    for rect in root.iter(f"{SVG}rect"):
        if rect.get("data-value"):
            drawn[(rect.get("data-row"), rect.get("data-status"))] = int(rect.get("data-value"))
    expected = {}
    for commitment in Commitment.objects.select_related("principle"):
        key = (commitment.principle.name, commitment.status)
        expected[key] = expected.get(key, 0) + 1
    assert drawn == expected
    assert sum(drawn.values()) == 23


@pytest.mark.django_db
def test_updates_chart_numbers_match_the_database(lov):
    commitment = Commitment.objects.first()
    StatusUpdateFactory.create_batch(4, commitment=commitment)
    points = updates_per_month(agreement=lov, months=12)
    root = parse(charts.updates_over_time_svg(points=points, chart_id="y"))
    drawn = sum(int(r.get("data-value")) for r in root.iter(f"{SVG}rect"))
    assert drawn == StatusUpdate.objects.count() == 4
    assert len(points) == 12


@pytest.mark.django_db
def test_pages_embed_the_charts_with_their_numbers_as_a_table(client, lov):
    client.force_login(UserFactory(staff=True))
    html = client.get(reverse("commitments:dashboard")).content.decode()
    assert 'aria-labelledby="chart-status-title chart-status-desc"' in html
    assert 'aria-labelledby="chart-updates-title chart-updates-desc"' in html
    assert 'id="matrix"' in html and 'id="months-table"' in html
    public = client.get(reverse("commitments:list")).content.decode()
    assert 'id="chart-status-public"' in public and 'id="status-table"' in public


def test_charts_render_in_a_pdf_with_weasyprint():
    import io

    weasyprint = pytest.importorskip("weasyprint")
    from pypdf import PdfReader

    status = charts.status_by_principle_svg(rows=[("Dialog", {"achieved": 2})], chart_id="a")
    months = charts.updates_over_time_svg(points=[(datetime.date(2026, 1, 1), 3)], chart_id="b")
    pdf = weasyprint.HTML(string=f"<html><body>{status}{months}</body></html>").write_pdf()
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "Dialog" in text
