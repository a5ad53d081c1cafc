import datetime
import io

import pytest
from django.core.management import call_command
from pypdf import PdfReader

from agreements.models import Signature, Withdrawal
from agreements.services import signature_create
from lov_portal.reports.models import EditionStatus, ReportEdition
from lov_portal.reports.services import report_edition_create
from tests.organisations.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def sign(lov, count, when):
    version = lov.versions.get(is_current=True)
    signatures = []
    for _ in range(count):
        signature = signature_create(
            organisation=OrganisationFactory(), version=version, signer_name="Anna"
        )
        Signature.objects.filter(pk=signature.pk).update(signed_at=when)
        signatures.append(signature)
    return signatures


def pdf_text(edition):
    with edition.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    return reader, "\n".join(page.extract_text() for page in reader.pages)


@pytest.fixture
def year_2025(lov):
    before = datetime.datetime(2024, 5, 1, 10, tzinfo=datetime.UTC)
    during = datetime.datetime(2025, 5, 1, 10, tzinfo=datetime.UTC)
    sign(lov, 5, before)  # signatories from an earlier year
    joined = sign(lov, 7, during)
    Withdrawal.objects.create(
        signature=joined[0], withdrawn_at=datetime.datetime(2025, 9, 1, tzinfo=datetime.UTC)
    )
    return lov


def test_the_report_task_writes_a_pdf_with_the_years_figures(
    year_2025, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        edition = report_edition_create(year=2025, user=None)
    edition.refresh_from_db()
    assert edition.status == EditionStatus.DONE
    assert edition.progress == 100
    reader, text = pdf_text(edition)
    assert "Uppföljningsrapport 2025" in text
    assert "Undertecknare vid årets slut 11" in text
    assert "Anslöt under året 6" in text
    assert "Lämnade under året 1" in text
    assert "Bilaga: undertecknare" in text
    assert reader.metadata.title.startswith("Uppföljningsrapport 2025")
    assert reader.metadata.author
    assert reader.trailer["/Root"]["/Lang"] == "sv"
    assert "/StructTreeRoot" in reader.trailer["/Root"]  # tagged PDF (PDF/UA)


def test_a_second_edition_of_the_same_year_does_not_overwrite_the_first(year_2025):
    call_command("generate_followup_report", "--year", "2025")
    call_command("generate_followup_report", "--year", "2025")
    first, second = ReportEdition.objects.order_by("edition")
    assert (first.edition, second.edition) == (1, 2)
    assert first.file.name != second.file.name
    assert first.file.storage.exists(first.file.name)
    assert second.file.storage.exists(second.file.name)


def test_the_report_is_in_english_when_ordered_in_english(year_2025):
    call_command("generate_followup_report", "--year", "2025", "--language", "en")
    _, text = pdf_text(ReportEdition.objects.get())
    assert "Follow-up report 2025" in text
    assert "Signatories at year end 11" in text


def test_a_finished_edition_is_not_rendered_again(year_2025):
    from lov_portal.reports.services import report_edition_render

    call_command("generate_followup_report", "--year", "2025")
    edition = ReportEdition.objects.get()
    name = edition.file.name
    assert report_edition_render(edition_id=edition.pk).file.name == name
