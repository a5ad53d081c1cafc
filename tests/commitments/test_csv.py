import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from commitments.csv_io import HEADER, export_csv, parse_import
from commitments.models import Commitment, StatusUpdate
from tests.accounts.factories import UserFactory
from tests.commitments.factories import StatusUpdateFactory

pytestmark = pytest.mark.django_db

EXPORT = reverse("commitments_export:csv")
EXPORT_EXCEL = reverse("commitments_export:csv_excel")
IMPORT = reverse("commitments:import")


def read(text: str, delimiter: str = ",") -> list[list[str]]:
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=delimiter))


def write(rows: list[list[str]], delimiter: str = ",", bom: bool = False) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return (("\ufeff" if bom else "") + buffer.getvalue()).encode("utf-8")


@pytest.fixture
def staff_client(client):
    client.force_login(UserFactory(staff=True))
    return client


def upload(client, content: bytes):
    return client.post(IMPORT, {"file": SimpleUploadedFile("a.csv", content, "text/csv")})


def test_export_lists_every_active_commitment_with_its_current_status(staff_client, lov):
    commitment = Commitment.objects.get(source_key="v1:1.1")
    StatusUpdateFactory(commitment=commitment, status="achieved", narrative="Klart.")
    Commitment.objects.filter(pk=commitment.pk).update(status="achieved")
    response = staff_client.get(EXPORT)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = read(response.content.decode("utf-8"))
    assert rows[0] == HEADER
    assert len(rows) == 24
    row = next(r for r in rows if r[0] == str(commitment.pk))
    assert row[5] == "Uppnått" and row[7] == "Klart." and row[1] == "1.1"


def test_excel_export_has_a_bom_and_semicolons(staff_client, lov):
    content = staff_client.get(EXPORT_EXCEL).content
    assert content.startswith("\ufeff".encode())
    text = content.decode("utf-8-sig")
    assert text.splitlines()[0] == ";".join(HEADER)
    assert len(read(text, ";")) == 24


def test_export_and_import_are_for_staff_only(client, lov):
    owner = UserFactory()
    Commitment.objects.first().owners.add(owner)
    for url in (EXPORT, EXPORT_EXCEL, IMPORT):
        assert client.get(url).status_code == 302
    client.force_login(owner)
    for url in (EXPORT, EXPORT_EXCEL, IMPORT):
        assert client.get(url).status_code == 403


@pytest.mark.parametrize("excel", [False, True])
def test_round_trip_export_edit_import_gives_the_same_data(staff_client, lov, excel):
    delimiter = ";" if excel else ","
    url = EXPORT_EXCEL if excel else EXPORT
    rows = read(staff_client.get(url).content.decode("utf-8"), delimiter)
    # Edit two rows, as someone would in a spreadsheet.
    rows[1][5] = "Pågår"
    rows[1][6] = "2026-02-01"
    rows[1][7] = "Arbetsgrupp tillsatt; första mötet hölls, ”äntligen”."
    rows[5][5] = "stalled"  # the code works as well as the label
    rows[5][6] = "2026-02-15"
    edited = write(rows, delimiter, bom=excel)

    preview = upload(staff_client, edited)
    assert preview.status_code == 200
    assert len(preview.context["result"].changes) == 2
    assert StatusUpdate.objects.count() == 0  # a preview saves nothing

    done = staff_client.post(IMPORT, {"confirm": "1"})
    assert done.status_code == 302
    assert StatusUpdate.objects.count() == 2

    again = read(staff_client.get(url).content.decode("utf-8"), delimiter)
    rows[5][5] = "Avstannat"
    last = HEADER.index("senast_uppdaterad")
    for before, after in zip(rows, again, strict=True):
        assert before[:last] == after[:last]
    # Importing the new export changes nothing.
    upload(staff_client, write(again, delimiter, bom=excel))
    assert staff_client.post(IMPORT, {"confirm": "1"}).status_code == 302
    assert StatusUpdate.objects.count() == 2


def test_an_invalid_row_is_reported_with_its_line_number_and_nothing_is_saved(staff_client, lov):
    rows = read(staff_client.get(EXPORT).content.decode("utf-8"))
    rows[1][5] = "Pågår"
    rows[1][6] = "2026-02-01"
    rows[3][5] = "Nästan klart"
    rows[4][6] = "1 februari"
    rows[6][0] = "999999"
    response = upload(staff_client, write(rows))
    assert response.status_code == 400
    errors = {e.line: e.message for e in response.context["result"].errors}
    assert set(errors) == {4, 5, 7}
    assert "Nästan klart" in errors[4]
    assert "ÅÅÅÅ-MM-DD" in errors[5]
    assert "999999" in errors[7]
    html = response.content.decode()
    assert "Rad 4:" in html and "Ingenting har sparats" in html
    # No confirmation is possible after a failed check.
    assert staff_client.post(IMPORT, {"confirm": "1"}).status_code == 302
    assert StatusUpdate.objects.count() == 0


def test_line_numbers_count_physical_lines_with_multiline_cells(lov):
    rows = [
        HEADER,
        [
            str(Commitment.objects.first().pk),
            "",
            "",
            "",
            "",
            "Pågår",
            "2026-01-01",
            "rad ett\nrad två",
        ],
        ["x", "", "", "", "", "Pågår", "2026-01-01", ""],
    ]
    result = parse_import(agreement=lov, text=write(rows).decode())
    assert [e.line for e in result.errors] == [4]


def test_the_same_commitment_twice_is_an_error(lov):
    pk = str(Commitment.objects.first().pk)
    row = [pk, "", "", "", "", "Pågår", "2026-01-01", ""]
    result = parse_import(agreement=lov, text=write([HEADER, row, row]).decode())
    assert [e.line for e in result.errors] == [3]


def test_a_file_without_the_needed_columns_is_rejected(lov):
    result = parse_import(agreement=lov, text="namn,status\nx,y\n")
    assert not result.ok and result.errors[0].line == 1


def test_unchanged_export_imports_as_no_changes(lov):
    result = parse_import(agreement=lov, text=export_csv(agreement=lov, excel=True))
    assert result.ok
    assert result.changes == []


def test_an_error_in_a_multiline_row_is_reported_at_its_first_line(lov):
    pk = str(Commitment.objects.first().pk)
    rows = [HEADER, [pk, "", "", "", "", "Fel status", "2026-01-01", "ett\ntvå\ntre"]]
    result = parse_import(agreement=lov, text=write(rows).decode())
    assert [e.line for e in result.errors] == [2]
