"""The signer's receipt PDF (agreements/receipts.py)."""

from __future__ import annotations

from io import BytesIO

import pytest
from django.utils import translation
from pypdf import PdfReader

from agreements.receipts import receipt_pdf

pytestmark = pytest.mark.django_db


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
