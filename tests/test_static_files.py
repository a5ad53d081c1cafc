"""In production, static files get hashed names, compressed copies and a long cache lifetime."""

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.evidence import EXAMPLE_LOG_KEY

ROOT = Path(__file__).resolve().parent.parent

CHECK = """
import json
import django
django.setup()
from django.conf import settings
from django.templatetags.static import static
from django.test import Client

client = Client()
hashed = static("css/portal.css")
plain = client.get("/static/css/portal.css")
served = client.get(hashed, HTTP_ACCEPT_ENCODING="gzip, br")
print("JSON " + json.dumps({
    "storage": settings.STORAGES["staticfiles"]["BACKEND"],
    "hashed_url": hashed,
    "status": served.status_code,
    "cache_control": served.headers.get("Cache-Control", ""),
    "encoding": served.headers.get("Content-Encoding", ""),
    "vary": served.headers.get("Vary", ""),
    "plain_status": plain.status_code,
    "plain_cache_control": plain.headers.get("Cache-Control", ""),
}))
"""


def _production_env(tmp_path: Path) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DATABASE_", "REDIS_", "CELERY_", "LOV_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="lov_portal.settings",
        DJANGO_ENV="production",
        DJANGO_SECRET_KEY="static-" + "x" * 60,
        DJANGO_ALLOWED_HOSTS="testserver",
        DJANGO_SECURE_SSL_REDIRECT="false",
        DATABASE_URL="postgres://lov@db.invalid:5432/lov",  # never contacted for static files
        REDIS_URL="redis://cache.invalid:6379/0",
        SITE_URL="https://lov.example.se",
        DJANGO_VAR_DIR=str(tmp_path / "var"),
        DJANGO_STATIC_ROOT=str(tmp_path / "static"),
        LOV_SEAL_CERT=str(tmp_path / "seal.crt"),  # not read for static files
        LOV_SEAL_KEY=str(tmp_path / "seal.key"),
        LOV_LOG_SIGNING_KEY=EXAMPLE_LOG_KEY,
    )
    return env


def test_production_serves_hashed_compressed_static_files_with_a_long_max_age(tmp_path):
    env = _production_env(tmp_path)
    collected = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert collected.returncode == 0, collected.stderr
    static_root = tmp_path / "static"
    assert (static_root / "staticfiles.json").exists()  # the manifest of hashed names
    assert list(static_root.glob("css/portal.*.css.gz"))  # compressed copies made once

    result = subprocess.run(
        [sys.executable, "-c", CHECK], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.split("JSON ", 1)[1])
    assert values["storage"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    assert values["hashed_url"] != "/static/css/portal.css"  # a content hash in the name
    assert values["status"] == 200
    assert "immutable" in values["cache_control"]
    max_age = int(values["cache_control"].split("max-age=")[1].split(",")[0])
    assert max_age >= 365 * 24 * 3600
    assert values["encoding"] in ("gzip", "br")
    assert "Accept-Encoding" in values["vary"]
    # The unhashed name still works but may change, so it is only kept briefly.
    assert values["plain_status"] == 200
    assert "immutable" not in values["plain_cache_control"]
