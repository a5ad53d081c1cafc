"""Production settings pass Django's deployment checklist with warnings as errors."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

from lov_portal.tlog.note import signer_generate

ROOT = Path(__file__).resolve().parent.parent.parent


def production_environment(tmp_path: Path) -> dict[str, str]:
    from lov_portal.core.pdf import development_seal_generate

    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DATABASE_", "REDIS_", "CELERY_", "LOV_"))
    }
    cert, key = tmp_path / "seal.crt", tmp_path / "seal.key"
    if not cert.exists():
        development_seal_generate(cert_path=cert, key_path=key, name="Testsigill")
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
        "LOV_SEAL_CERT": str(cert),
        "LOV_SEAL_KEY": str(key),
    }


def check_deploy(env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_check_deploy(tmp_path):
    result = check_deploy(production_environment(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_fails_on_a_weak_secret_key(tmp_path):
    env = {**production_environment(tmp_path), "DJANGO_SECRET_KEY": "short"}
    result = check_deploy(env)
    assert result.returncode != 0
    # Refused while the settings load, before Django's own W009 check (tests/test_settings.py).
    assert "DJANGO_SECRET_KEY is too short" in result.stderr + result.stdout


def test_check_deploy_fails_on_bankid_without_a_ca_to_verify_its_signatures(tmp_path):
    env = {
        **production_environment(tmp_path),
        "LOV_BANKID_URL": "https://appapi2.bankid.com/rp/v6.0/",
    }
    result = check_deploy(env)
    assert result.returncode != 0
    assert "LOV_BANKID_SIGNATURE_CA is empty" in result.stderr + result.stdout


def test_check_deploy_fails_on_a_seal_that_cannot_be_read(tmp_path):
    env = {**production_environment(tmp_path), "LOV_SEAL_KEY": str(tmp_path / "missing.key")}
    result = check_deploy(env)
    assert result.returncode != 0
    assert "lov.E001" in result.stderr + result.stdout


def test_check_deploy_fails_on_a_seal_key_of_another_certificate(tmp_path):
    from lov_portal.core.pdf import development_seal_generate

    other_cert, other_key = tmp_path / "other.crt", tmp_path / "other.key"
    development_seal_generate(cert_path=other_cert, key_path=other_key, name="Annat sigill")
    env = {**production_environment(tmp_path), "LOV_SEAL_KEY": str(other_key)}
    result = check_deploy(env)
    assert result.returncode != 0
    assert "lov.E002" in result.stderr + result.stdout


def test_check_deploy_fails_on_a_malformed_log_key(tmp_path):
    env = {**production_environment(tmp_path), "LOV_LOG_SIGNING_KEY": "PRIVATE+KEY+x+00+AAAA"}
    result = check_deploy(env)
    assert result.returncode != 0
    assert "tlog.E002" in result.stdout + result.stderr
