"""The signer's sealed receipt PDF (agreements/receipts.py, lov_portal/core/pdf.py)."""

from __future__ import annotations

import datetime
import hashlib
import re
import shutil
import subprocess
from io import BytesIO

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from agreements.models import SignatureReceipt
from agreements.receipts import (
    receipt_bytes,
    receipt_context,
    receipt_get_or_create,
    receipt_pdf,
    receipt_send,
)
from lov_portal.core.models import ImmutableRecordError
from lov_portal.core.pdf import DEVELOPMENT_SEAL_NAME, pdf_seal, render_pdf, seal_paths
from tests.accounts.factories import UserFactory
from tests.evidence import forced
from tests.organisations.factories import MembershipFactory

pytestmark = pytest.mark.django_db

PDFSIG = shutil.which("pdfsig")
needs_pdfsig = pytest.mark.skipif(
    PDFSIG is None, reason="needs pdfsig (poppler-utils): apt-get install poppler-utils"
)


@pytest.fixture
def sealed(signature) -> bytes:
    return receipt_bytes(receipt_get_or_create(signature=signature))


def pdfsig(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "kvitto.pdf"
    path.write_bytes(pdf)
    # pdfsig exits non-zero for an untrusted certificate too; the text is what we read.
    result = subprocess.run([PDFSIG, str(path)], capture_output=True, text=True, timeout=60)
    return result.stdout + result.stderr


def signed_range(pdf: bytes) -> tuple[int, int]:
    """The first byte range the seal covers (the whole original document)."""
    match = re.search(rb"/ByteRange\s*\[\s*(\d+)\s+(\d+)", pdf)
    assert match is not None
    return int(match[1]), int(match[2])


def flip_a_byte_in_the_signed_text(pdf: bytes) -> bytes:
    """Change one character of the signed content (inside the first signed range)."""
    start, length = signed_range(pdf)
    index = pdf.index(b"/Producer", start, start + length) + 2  # a letter in a metadata key
    assert start <= index < start + length
    changed = bytearray(pdf)
    changed[index] ^= 0x01
    return bytes(changed)


def pyhanko_status(pdf: bytes, trust=None):
    """pyHanko's validation, trusting the seal's own certificate (the configured one)."""
    from pyhanko.keys.pemder import load_cert_from_pemder
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    cert_path = trust or seal_paths()[0]
    context = ValidationContext(
        trust_roots=[load_cert_from_pemder(str(cert_path))], allow_fetching=False
    )
    reader = PdfFileReader(BytesIO(pdf), strict=False)
    [embedded] = reader.embedded_signatures
    return validate_pdf_signature(embedded, context)


@pytest.mark.parametrize(
    ("language", "title"), [("sv", "Kvitto på underskrift"), ("en", "Receipt")]
)
def test_the_receipt_is_a_tagged_pdf_in_the_signers_language(signature, language, title):
    with translation.override(language):
        reader = PdfReader(BytesIO(receipt_pdf(signature)))
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root  # tagged (PDF/UA)
    assert root["/Lang"] == language
    assert reader.metadata.title.startswith(title)
    assert signature.organisation.name in reader.metadata.title
    assert reader.metadata.author
    text = "".join(page.extract_text() for page in reader.pages)
    assert signature.receipt_code in text


@needs_pdfsig
def test_pdfsig_reports_the_seal_intact(sealed, tmp_path):
    report = pdfsig(sealed, tmp_path)
    assert "Signature Validation: Signature is Valid." in report
    assert "Total document signed" in report
    assert "ETSI.CAdES.detached" in report  # PAdES
    # The development seal is self-signed: untrusted, which is expected and says so.
    assert DEVELOPMENT_SEAL_NAME in report


@needs_pdfsig
def test_pdfsig_reports_the_seal_broken_when_one_byte_changes(sealed, tmp_path):
    report = pdfsig(flip_a_byte_in_the_signed_text(sealed), tmp_path)
    assert "Signature Validation: Signature is Valid." not in report
    assert "Digest Mismatch" in report or "Signature is Invalid" in report


def test_pyhanko_finds_the_seal_intact_and_covering_the_whole_file(sealed):
    from pyhanko.sign.validation.status import SignatureCoverageLevel

    status = pyhanko_status(sealed)
    assert status.intact and status.valid and status.trusted and status.bottom_line
    assert status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    assert status.signing_cert.subject.native["common_name"] == DEVELOPMENT_SEAL_NAME
    assert status.timestamp_validity is None  # no LOV_TSA_URL: PAdES B-B


def test_with_a_time_stamping_authority_the_seal_carries_its_timestamp(
    signature, settings, monkeypatch
):
    from pyhanko.keys import load_cert_from_pemder, load_private_key_from_pemder
    from pyhanko.sign.timestamps import DummyTimeStamper, HTTPTimeStamper

    from lov_portal.core import pdf

    assert pdf.seal_timestamper() is None
    settings.LOV_TSA_URL = "https://tsa.example.se/tsr"
    client = pdf.seal_timestamper()
    assert isinstance(client, HTTPTimeStamper) and client.url == settings.LOV_TSA_URL
    # No network in tests: pyHanko's in-process TSA stands in for the HTTP one.
    cert, key = seal_paths()
    tsa = DummyTimeStamper(
        tsa_cert=load_cert_from_pemder(str(cert)),
        tsa_key=load_private_key_from_pemder(str(key), passphrase=None),
    )
    monkeypatch.setattr(pdf, "seal_timestamper", lambda: tsa)
    status = pyhanko_status(receipt_pdf(signature))
    assert status.intact and status.valid
    assert status.timestamp_validity is not None and status.timestamp_validity.intact


def test_pyhanko_finds_the_seal_broken_when_one_byte_changes(sealed):
    assert pyhanko_status(sealed).intact  # the same check passes on the untouched file
    status = pyhanko_status(flip_a_byte_in_the_signed_text(sealed))
    assert not status.intact and not status.bottom_line  # the digest no longer matches


def test_the_receipt_is_stored_once_and_the_same_bytes_come_back(signature):
    first = receipt_get_or_create(signature=signature)
    again = receipt_get_or_create(signature=signature)
    assert again.pk == first.pk
    assert SignatureReceipt.objects.count() == 1
    assert hashlib.sha256(receipt_bytes(again)).hexdigest() == first.sha256
    with pytest.raises(ImmutableRecordError):
        first.save()
    with pytest.raises(ImmutableRecordError):
        first.delete()


def test_a_changed_stored_receipt_is_refused(signature):
    receipt = receipt_get_or_create(signature=signature)
    with forced():  # someone with the database; the trigger refuses it otherwise
        SignatureReceipt.objects.filter(pk=receipt.pk).update(pdf=b"%PDF-1.7 forged")
    receipt.refresh_from_db()
    with pytest.raises(ValueError, match="changed"):
        receipt_bytes(receipt)


def test_the_email_attaches_the_stored_sealed_receipt(signature):
    signer = UserFactory(email="anna@example.se", preferred_language="en")
    with forced():  # test data only: signatures are append-only
        type(signature).objects.filter(pk=signature.pk).update(signer=signer)
    mail.outbox.clear()
    assert receipt_send(signature_id=signature.pk) is True
    [message] = mail.outbox
    [(name, content, mimetype)] = message.attachments
    stored = SignatureReceipt.objects.get(signature=signature)
    assert name == f"kvitto-{signature.receipt_code}.pdf"
    assert mimetype == "application/pdf"
    assert content == bytes(stored.pdf)
    assert stored.language == "en"  # rendered in the signer's language
    assert PdfReader(BytesIO(content)).trailer["/Root"]["/Lang"] == "en"


@pytest.mark.parametrize(
    ("language", "greeting", "check"),
    [
        ("sv", "har undertecknat", "Kontrollera kvittot:"),
        ("en", "has signed", "Check the receipt:"),
    ],
)
def test_the_receipt_email_has_a_text_and_an_html_body_in_the_signers_language(
    signature, language, greeting, check
):
    signer = UserFactory(email="anna@example.se", preferred_language=language)
    with forced():  # test data only: signatures are append-only
        type(signature).objects.filter(pk=signature.pk).update(signer=signer)
    mail.outbox.clear()
    assert receipt_send(signature_id=signature.pk) is True
    [message] = mail.outbox
    with translation.override(language):
        verify_url = receipt_context(signature)["verify_url"]
    assert greeting in message.body and check in message.body
    assert verify_url in message.body
    assert message.extra_headers["Message-ID"].startswith(f"<lov-receipt-{signature.pk}@")
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    assert f'<html lang="{language}">' in html
    assert greeting in html and check in html
    assert f'<a href="{verify_url}">' in html
    assert signature.receipt_code in html and signature.text_sha256 in html


def test_the_receipt_states_the_signing_time_in_utc(signature):
    # Stockholm is UTC+1 or +2: a time shown in local time under "UTC" would be off by hours.
    text = "".join(p.extract_text() for p in PdfReader(BytesIO(receipt_pdf(signature))).pages)
    utc = signature.signed_at.astimezone(datetime.UTC)
    assert f"{utc:%Y-%m-%d %H:%M:%S} UTC" in text


def receipt_text(signature) -> str:
    """The receipt's text with line breaks and runs of spaces as single spaces."""
    pages = PdfReader(BytesIO(receipt_pdf(signature))).pages
    return " ".join(" ".join(page.extract_text() for page in pages).split())


def test_the_receipt_has_no_log_section_without_a_log_entry(signature):
    signature.log_entry_id = None  # in memory only: a signature the log never recorded
    assert receipt_context(signature)["log"] is None
    text = receipt_text(signature)
    assert "Offentlig logg" not in text
    assert "förseglat" in text


def test_the_receipt_always_states_its_entry_and_a_checkpoint_covering_it(signature):
    # Sealed once: even when the receipt task runs before the checkpoint task, the receipt
    # names a signed checkpoint that covers the entry (it signs one if none does yet).
    from lov_portal.tlog.models import Checkpoint

    index = signature.log_entry.index
    assert not Checkpoint.objects.filter(size__gt=index).exists()
    text = receipt_text(signature)
    assert "Offentlig logg" in text
    assert f"Post med index {index} i registrets offentliga logg." in text
    checkpoint = Checkpoint.objects.latest()
    assert checkpoint.size > index
    assert f"kontrollpunkten för loggens storlek {checkpoint.size}." in text
    assert reverse("agreements:how_to_verify") in text


def test_members_download_the_stored_receipt_as_an_attachment(client, signature):
    member = UserFactory()
    MembershipFactory(user=member, organisation=signature.organisation, role="member")
    client.force_login(member)
    url = reverse(
        "agreements:receipt_download", args=[signature.organisation.slug, signature.receipt_code]
    )
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="kvitto-{signature.receipt_code}.pdf"'
    )
    assert response.content == bytes(SignatureReceipt.objects.get(signature=signature).pdf)
    assert client.get(url).content == response.content  # the same bytes every time
    agreement = signature.agreement_version.agreement
    type(agreement).objects.filter(pk=agreement.pk).update(slug=settings.DEFAULT_AGREEMENT_SLUG)
    page = client.get(
        reverse("agreements:organisation_signature", args=[signature.organisation.slug])
    )
    assert url in page.content.decode()


@pytest.mark.parametrize("who", ["anonymous", "other_member", "own_member_wrong_address"])
def test_others_cannot_download_the_receipt(client, signature, who):
    url = reverse(
        "agreements:receipt_download", args=[signature.organisation.slug, signature.receipt_code]
    )
    if who == "anonymous":
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response["Location"]
    elif who == "other_member":
        other = MembershipFactory(role="member")
        client.force_login(other.user)
        assert client.get(url).status_code == 403
    else:  # a member of another organisation, through their own organisation's address
        other = MembershipFactory(role="member")
        client.force_login(other.user)
        wrong = reverse(
            "agreements:receipt_download", args=[other.organisation.slug, signature.receipt_code]
        )
        assert client.get(wrong).status_code == 404
    assert not SignatureReceipt.objects.exists()  # nothing was even rendered


def test_export_receipt_writes_the_stored_bytes(signature, tmp_path):
    out = tmp_path / "kvitto.pdf"
    call_command("export_receipt", signature.receipt_code.lower(), "--out", str(out))
    assert out.read_bytes() == bytes(SignatureReceipt.objects.get(signature=signature).pdf)
    call_command("export_receipt", signature.receipt_code, "--out", str(tmp_path / "2.pdf"))
    assert (tmp_path / "2.pdf").read_bytes() == out.read_bytes()


def test_export_receipt_names_an_unknown_code(db, tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="FINNS-INTE"):
        call_command("export_receipt", "FINNS-INTE", "--out", str(tmp_path / "x.pdf"))


def test_production_never_invents_a_seal(settings):
    settings.PRODUCTION = True
    settings.LOV_SEAL_CERT = settings.LOV_SEAL_KEY = ""
    with pytest.raises(RuntimeError, match="LOV_SEAL_CERT"):
        seal_paths()


def test_downloading_a_stored_receipt_takes_few_queries(
    client, signature, django_assert_max_num_queries
):
    member = MembershipFactory(organisation=signature.organisation, role="member").user
    client.force_login(member)
    url = reverse(
        "agreements:receipt_download", args=[signature.organisation.slug, signature.receipt_code]
    )
    receipt_get_or_create(signature=signature)
    # session and user, the organisation, the membership rule, the signature, the receipt
    with django_assert_max_num_queries(6):
        assert client.get(url).status_code == 200


def test_the_development_seal_is_generated_once_on_first_use(settings, tmp_path):
    from cryptography import x509

    settings.VAR_DIR = tmp_path
    settings.LOV_SEAL_CERT = settings.LOV_SEAL_KEY = ""
    cert, key = seal_paths()
    assert cert.parent == tmp_path / "seal" and cert.exists() and key.exists()
    assert key.stat().st_mode & 0o077 == 0  # the key is private to the portal's user
    certificate = x509.load_pem_x509_certificate(cert.read_bytes())
    assert DEVELOPMENT_SEAL_NAME in certificate.subject.rfc4514_string()
    first = cert.read_bytes()
    assert seal_paths() == (cert, key) and cert.read_bytes() == first  # reused, not remade


def test_configured_seal_files_are_used(settings, tmp_path):
    from lov_portal.core.pdf import development_seal_generate

    cert, key = tmp_path / "seal.crt", tmp_path / "seal.key"
    development_seal_generate(cert_path=cert, key_path=key, name="Region Västernorrland sigill")
    settings.LOV_SEAL_CERT, settings.LOV_SEAL_KEY = str(cert), str(key)
    document = render_pdf("<html lang='sv'><title>t</title><p>x</p></html>")
    sealed = pdf_seal(document, reason="r", location="l")
    status = pyhanko_status(sealed, trust=cert)
    assert status.bottom_line
    assert status.signing_cert.subject.native["common_name"] == "Region Västernorrland sigill"


def test_sealing_works_inside_a_running_event_loop(signature):
    """An ASGI server, or Playwright earlier in the same test process, runs an event loop in
    the thread: pyHanko's own asyncio.run must not collide with it."""
    import asyncio

    from lov_portal.core.pdf import pdf_seal, render_pdf

    async def seal_in_loop() -> bytes:
        return pdf_seal(render_pdf("<p>Test</p>"), reason="Test", location="Test")

    sealed = asyncio.run(seal_in_loop())
    assert b"/ByteRange" in sealed
