"""Production settings pass Django's deployment checklist with warnings as errors."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

from lov_portal.tlog.note import signer_generate

ROOT = Path(__file__).resolve().parent.parent.parent


def production_environment(tmp_path: Path) -> dict[str, str]:
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DATABASE_", "REDIS_", "CELERY_"))
    }
    return {
        **clean,
        "DJANGO_ENV": "production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
        "DJANGO_ALLOWED_HOSTS": "lov.example.se",
        "DATABASE_URL": "postgres://lov@db.example:5432/lov",
        "REDIS_URL": "redis://cache.example:6379/0",
        "SITE_URL": "https://lov.example.se",
        "LOV_LOG_SIGNING_KEY": signer_generate("lov.example.se").skey,
        "DJANGO_STATIC_ROOT": str(tmp_path / "static"),
        "DJANGO_MEDIA_ROOT": str(tmp_path / "media"),
        "DJANGO_VAR_DIR": str(tmp_path),
    }


def test_production_settings_pass_check_deploy(tmp_path):
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=production_environment(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_fails_on_a_weak_secret_key(tmp_path):
    env = {**production_environment(tmp_path), "DJANGO_SECRET_KEY": "short"}
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    # Refused while the settings load, before Django's own W009 check (tests/test_settings.py).
    assert "DJANGO_SECRET_KEY is too short" in result.stderr + result.stdout
