import datetime
import io

import pytest
from django.core.management import call_command
from pypdf import PdfReader

from agreements.models import Signature, Withdrawal
from lov_portal.reports.models import EditionStatus, ReportEdition
from lov_portal.reports.services import report_edition_create
from tests.agreements.factories import SignatureFactory

pytestmark = pytest.mark.django_db


def sign(lov, count, when):
    version = lov.versions.get(is_current=True)
    return SignatureFactory.create_batch(count, version=version, signer_name="Anna", signed_at=when)


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
    flat = " ".join(text.split())
    assert "The year's actions" in flat
    assert "The cooperation group's decisions" in flat
    assert "Development areas" in flat


def test_a_finished_edition_is_not_rendered_again(year_2025):
    from lov_portal.reports.services import report_edition_render

    call_command("generate_followup_report", "--year", "2025")
    edition = ReportEdition.objects.get()
    name = edition.file.name
    assert report_edition_render(edition_id=edition.pk).file.name == name


def _published_minutes(lov, *, starts_at, items):
    from meetings.models import (
        CooperationGroup,
        Minutes,
        MinutesPublication,
        MinutesRevision,
        MinutesStatus,
        RevisionKind,
    )
    from tests.reminders.factories import MeetingFactory

    group, _ = CooperationGroup.objects.get_or_create(
        agreement=lov, defaults={"name": "Samverkansgruppen"}
    )
    minutes = Minutes.objects.create(
        meeting=MeetingFactory(group=group, starts_at=starts_at), status=MinutesStatus.PUBLISHED
    )
    revision = MinutesRevision.objects.create(
        minutes=minutes, number=1, kind=RevisionKind.FIRST, content={"items": items}
    )
    MinutesPublication.objects.create(revision=revision)
    minutes.current_revision = minutes.published_revision = revision
    minutes.save()
    return minutes


def test_the_report_has_the_years_actions_decisions_and_development_areas(year_2025):
    from commitments.models import Action, ActionStatus, DevelopmentArea
    from tests.commitments.factories import ActionFactory, DevelopmentAreaFactory

    principle = year_2025.principles.order_by("order").first()
    ActionFactory(principle=principle, title="Ordna dialogmöte", status=ActionStatus.DONE)
    ActionFactory(
        principle=principle,
        title="Ta fram en modell för idéburet offentligt partnerskap",
        status=ActionStatus.PLANNED,
        due_date=datetime.date(2025, 10, 31),
    )
    ActionFactory(
        principle=principle,
        title="Nästa års åtgärd",
        status=ActionStatus.PLANNED,
        due_date=datetime.date(2026, 3, 31),
    )
    DevelopmentAreaFactory(
        agreement=year_2025, name="Ungas delaktighet", description="Fler unga i samverkan."
    )
    DevelopmentAreaFactory(agreement=year_2025, name="Ett område från nästa år")
    # Everything above existed during 2025, except the area made "now" (2026 and later).
    during = datetime.datetime(2025, 3, 1, tzinfo=datetime.UTC)
    Action.objects.update(created_at=during)
    DevelopmentArea.objects.exclude(name="Ett område från nästa år").update(created_at=during)
    _published_minutes(
        year_2025,
        starts_at=datetime.datetime(2025, 4, 2, 12, tzinfo=datetime.UTC),
        items=[
            {"number": 7, "heading": "Budget för konferensen", "decision": "Att anta budgeten."}
        ],
    )
    # Unpublished minutes and minutes from another year stay out.
    _published_minutes(
        year_2025,
        starts_at=datetime.datetime(2024, 4, 2, 12, tzinfo=datetime.UTC),
        items=[{"number": 3, "heading": "Förra årets beslut", "decision": "Nej."}],
    )
    call_command("generate_followup_report", "--year", "2025")
    _, text = pdf_text(ReportEdition.objects.get())
    flat = " ".join(text.split())
    for shown in (
        "Årets åtgärder",
        "Genomförd 1",
        "Planerad 2",
        "Försenade åtgärder",
        "Ta fram en modell för idéburet offentligt partnerskap",
        "31 oktober 2025",
        "Samverkansgruppens beslut",
        "§ 7",
        "Budget för konferensen",
        "Att anta budgeten.",
        "Utvecklingsområden",
        "Ungas delaktighet",
        "Fler unga i samverkan.",
    ):
        assert shown in flat, shown
    # Left out: an action not yet due (from the overdue ones), another year's decision, an area
    # made after the year.
    assert (
        "Nästa års åtgärd"
        not in flat.split("Försenade åtgärder")[-1].split("Samverkansgruppens möten")[0]
    )
    assert "Förra årets beslut" not in flat
    assert "Ett område från nästa år" not in flat


def test_the_report_draws_commitment_status_with_the_dashboards_chart(year_2025, monkeypatch):
    from commitments import charts
    from commitments.models import Commitment
    from lov_portal.reports import services

    calls = []

    def recording(**kwargs):
        calls.append(kwargs)
        return charts.status_by_principle_svg(**kwargs)

    monkeypatch.setattr(services, "status_by_principle_svg", recording)
    # The LÖV commitments are loaded today, so they count in this year's report.
    call_command("generate_followup_report", "--year", str(datetime.date.today().year))
    (call,) = calls
    assert len(call["rows"]) == year_2025.principles.count()
    total = sum(sum(counts.values()) for _label, counts in call["rows"])
    assert total == Commitment.objects.filter(principle__agreement=year_2025).count() > 0


def _structure_elements(element, tag):
    """Every structure element of type `tag` under `element`, in document order."""
    element = element.get_object()
    found = [element] if element.get("/S") == tag else []
    kids = element.get("/K", [])
    for kid in kids if isinstance(kids, list) else [kids]:
        kid = kid.get_object()
        if hasattr(kid, "get") and kid.get("/Type") == "/StructElem":
            found.extend(_structure_elements(kid, tag))
    return found


def test_the_appendix_lists_every_signatory_as_a_tagged_list_item(year_2025):
    call_command("generate_followup_report", "--year", "2025")
    reader, text = pdf_text(ReportEdition.objects.get())
    appendix = text[text.index("organisationer hade undertecknat") :]
    withdrawn = Signature.objects.get(withdrawal__isnull=False).organisation
    signatories = [
        signature.organisation
        for signature in Signature.objects.filter(withdrawal__isnull=True).select_related(
            "organisation"
        )
    ]
    assert len(signatories) == 11
    lines = appendix.splitlines()
    for organisation in signatories:
        # Name and organisation number in one text run, one signatory a line.
        assert f"{organisation.name} ({organisation.organisation_number})" in lines
    assert withdrawn.name not in appendix
    # Still a tagged list for assistive technology: one LI (with its LBody) per signatory.
    document = reader.trailer["/Root"]["/StructTreeRoot"]
    signatory_list = _structure_elements(document, "/L")[-1]
    items = [kid.get_object() for kid in signatory_list["/K"]]
    assert [item["/S"] for item in items] == ["/LI"] * len(signatories)
    assert all(_structure_elements(item, "/LBody") for item in items)


def test_the_report_prints_the_register_logs_checkpoint_and_key(
    year_2025, django_capture_on_commit_callbacks
):
    from lov_portal.tlog.keys import log_signer
    from lov_portal.tlog.models import Checkpoint
    from lov_portal.tlog.services import checkpoints_sign_all

    checkpoints_sign_all()
    checkpoint = Checkpoint.objects.latest()
    with django_capture_on_commit_callbacks(execute=True):
        edition = report_edition_create(year=2025, user=None)
    edition.refresh_from_db()
    _, text = pdf_text(edition)
    assert "Bilaga: registrets checkpoint" in text
    compact = "".join(text.split())
    assert checkpoint.note.split("\n")[2] in compact  # the root hash, as printed
    assert log_signer().vkey.split("+")[1] in compact  # the key id
