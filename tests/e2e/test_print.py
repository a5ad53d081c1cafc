"""The agreement page prints cleanly: content only, every part of the text, links spelled out."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from .conftest import ARTIFACTS

# The tests only print a page: one data set for the module (module_data.py).
from .module_data import e2e_data, module_e2e_data, transactional_db  # noqa: F401

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("language", ["sv", "en"])
def test_agreement_prints_its_whole_text_without_the_site_chrome(
    new_page,
    e2e_data,  # noqa: F811 (the fixture imported from module_data)
    language,
):
    from agreements.models import AgreementVersion

    version = AgreementVersion.objects.get(agreement=e2e_data, is_current=True)
    page = new_page()
    page.goto("/overenskommelsen/" if language == "sv" else "/en/overenskommelsen/")
    page.emulate_media(media="print")

    pdf = page.pdf(format="A4", print_background=False)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / f"agreement-print-{language}.pdf").write_bytes(pdf)
    reader = PdfReader(io.BytesIO(pdf))
    text = " ".join(" ".join((p.extract_text() or "").split()) for p in reader.pages)

    # The site's header, navigation and footer are not printed.
    assert "Hoppa till huvudinnehållet" not in text
    assert "Skip to main content" not in text
    assert "In English" not in text and "På svenska" not in text
    assert "Tillgänglighetsredogörelse" not in text and "Accessibility statement" not in text
    # The content is: the six principles and the full signed text, even though the
    # <details> holding it is closed on screen.
    assert "Länsöverenskommelsen Västernorrland" in text
    assert ("Dialog" if language == "sv" else "Dialogue") in text
    last_words = " ".join(version.text.split()[-5:])
    assert last_words in text, "the end of the full text is printed"
    assert version.text_sha256 in text.replace(" ", "")
    assert 20 > len(reader.pages) > 2
