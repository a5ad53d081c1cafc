"""Settings come from the environment; production refuses to start half-configured."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def load_settings(**env: str) -> subprocess.CompletedProcess:
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DATABASE_", "REDIS_", "CELERY_", "PYTEST_", "LOV_"))
    }
    clean.update(env)
    code = (
        "import django, json; from django.conf import settings; django.setup();"
        "db = settings.DATABASES['default'];"
        "print(json.dumps({'engine': db['ENGINE'], 'cache': settings.CACHES['default']['BACKEND'],"
        " 'eager': settings.CELERY_TASK_ALWAYS_EAGER, 'broker': settings.CELERY_BROKER_URL,"
        " 'debug': settings.DEBUG, 'ssl': getattr(settings, 'SECURE_SSL_REDIRECT', False),"
        " 'hsts': getattr(settings, 'SECURE_HSTS_SECONDS', 0),"
        " 'secure_cookie': settings.SESSION_COOKIE_SECURE, 'email': settings.EMAIL_BACKEND,"
        " 'pool': 'pool' in db.get('OPTIONS', {}), 'conn_max_age': db.get('CONN_MAX_AGE')}))"
    )
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "lov_portal.settings"},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_embedded_default_needs_nothing(tmp_path):
    result = load_settings(DJANGO_VAR_DIR=str(tmp_path))
    assert result.returncode == 0, result.stderr
    import json

    values = json.loads(result.stdout)
    assert values["engine"] == "django.db.backends.sqlite3"
    assert values["cache"].endswith("LocMemCache")
    assert values["eager"] is True
    assert values["email"].endswith("console.EmailBackend")
    assert values["debug"] is True


def test_database_and_redis_urls_switch_to_postgres_and_redis(tmp_path):
    import json

    result = load_settings(
        DJANGO_VAR_DIR=str(tmp_path),
        DATABASE_URL="postgres://lov@db.example:5432/lov",
        REDIS_URL="redis://cache.example:6379/1",
    )
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert values["engine"] == "django.db.backends.postgresql"
    assert values["cache"].endswith("RedisCache")
    assert values["broker"] == "redis://cache.example:6379/1"
    assert values["eager"] is False
    assert values["conn_max_age"] == 60


def test_database_pool_can_be_switched_on(tmp_path):
    import json

    result = load_settings(
        DJANGO_VAR_DIR=str(tmp_path),
        DATABASE_URL="postgres://lov@db.example:5432/lov",
        DATABASE_POOL="true",
    )
    values = json.loads(result.stdout)
    assert values["pool"] is True and values["conn_max_age"] == 0


PRODUCTION_REQUIRED = {
    "DJANGO_ENV": "production",
    "DJANGO_SECRET_KEY": "x" * 60,
    "DJANGO_ALLOWED_HOSTS": "lov.example.se",
    "DATABASE_URL": "postgres://lov@db.example:5432/lov",
    # Only their presence is checked when settings load; check --deploy reads the files.
    "LOV_SEAL_CERT": "/run/secrets/seal.crt",
    "LOV_SEAL_KEY": "/run/secrets/seal.key",
}


@pytest.mark.parametrize(
    "missing",
    ["DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS", "DATABASE_URL", "LOV_SEAL_CERT", "LOV_SEAL_KEY"],
)
def test_production_refuses_to_start_without_required_variables(missing):
    env = dict(PRODUCTION_REQUIRED)
    del env[missing]
    result = load_settings(**env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert missing in result.stderr


def test_production_turns_on_the_secure_settings():
    import json

    result = load_settings(**PRODUCTION_REQUIRED)
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert values["debug"] is False
    assert values["ssl"] is True
    assert values["hsts"] >= 31536000
    assert values["secure_cookie"] is True
