"""The Nu Html Checker (vnu) reports no errors on any public page.

Every URL pattern is walked (tests/urlwalk.py) and each one that answers an anonymous visitor
with an HTML page is checked, in both languages, with the LÖV agreement and demo data loaded.
The checker is the npm package `vnu-jar` (Java); it is looked for at $VNU_JAR, then in
/work/.vnu (`npm install --prefix /work/.vnu vnu-jar`), then in ./node_modules.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.urlwalk import all_endpoints

CANDIDATES = [
    os.environ.get("VNU_JAR", ""),
    "/work/.vnu/node_modules/vnu-jar/build/dist/vnu.jar",
    str(Path(__file__).resolve().parent.parent / "node_modules/vnu-jar/build/dist/vnu.jar"),
]


def _vnu_jar() -> str | None:
    return next((c for c in CANDIDATES if c and Path(c).is_file()), None)


pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        _vnu_jar() is None or shutil.which("java") is None,
        reason="needs the Nu Html Checker: `npm install --prefix /work/.vnu vnu-jar` (or set "
        "VNU_JAR to vnu.jar) and Java",
    ),
]


def _public_pages(client) -> dict[str, str]:
    pages: dict[str, str] = {}
    for endpoint in all_endpoints():
        if endpoint.namespace.split(":")[0] in {"admin"}:
            continue
        response = client.get(endpoint.path)
        if response.status_code != 200 or response.streaming:
            continue
        if not response["Content-Type"].startswith("text/html"):
            continue
        pages[endpoint.path] = response.content.decode()
    return pages


def test_the_nu_html_checker_finds_no_errors_on_any_public_page(client, lov, tmp_path):
    from lov_portal.portal.demo import demo_create

    demo_create(agreement=lov, organisations=6)
    pages = _public_pages(client)
    assert len(pages) > 15, sorted(pages)
    files = {}
    for index, (path, html) in enumerate(sorted(pages.items())):
        file = tmp_path / f"page-{index}.html"
        file.write_text(html, encoding="utf-8")
        files[file.name] = path
    files_on_disk = sorted(tmp_path.glob("*.html"))
    result = subprocess.run(
        ["java", "-jar", _vnu_jar(), "--errors-only", "--format", "json", *map(str, files_on_disk)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    messages = json.loads(result.stderr or "{}").get("messages", [])
    errors = [
        f"{files.get(Path(m.get('url', '')).name, m.get('url'))}: {m.get('message')} "
        f"[{m.get('extract', '')!r}]"
        for m in messages
        if m.get("type") == "error"
    ]
    assert not errors, "\n".join(errors)
