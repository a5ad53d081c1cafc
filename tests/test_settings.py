"""Settings come from the environment; production refuses to start half-configured."""

import os
import subprocess
from pathlib import Path

import pytest

from tests.evidence import EXAMPLE_LOG_KEY
from tests.forkserver import ForkServer

ROOT = Path(__file__).resolve().parent.parent
# The variables a run sets itself: none of them is seen by the fork server (tests/forkserver.py).
RUN_VARIABLES = ("DJANGO_", "DATABASE_", "REDIS_", "CELERY_", "PYTEST_", "LOV_", "SITE_URL")
_server: ForkServer | None = None


@pytest.fixture(scope="module", autouse=True)
def _fork_server():
    """Each run below is a fresh process forked from one that imported Django once."""
    global _server
    clean = {k: v for k, v in os.environ.items() if not k.startswith(RUN_VARIABLES)}
    _server = ForkServer(cwd=ROOT, env=clean)
    yield
    _server.close()
    _server = None


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
    return _server.run(
        code=code,
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "lov_portal.settings"},
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


PRODUCTION = {
    "DJANGO_ENV": "production",
    "DJANGO_SECRET_KEY": "k3y-" + "x" * 30 + "-abcdefghij0123456789",
    "DJANGO_ALLOWED_HOSTS": "lov.example.se",
    "DATABASE_URL": "postgres://lov@db.example:5432/lov",
    "REDIS_URL": "redis://cache.example:6379/0",
    "SITE_URL": "https://lov.example.se",
    # Only their presence is checked when settings load; check --deploy reads the files.
    "LOV_SEAL_CERT": "/run/secrets/seal.crt",
    "LOV_SEAL_KEY": "/run/secrets/seal.key",
    "LOV_LOG_SIGNING_KEY": EXAMPLE_LOG_KEY,
}


# Every variable of the production example but DJANGO_ENV is one production cannot start without.
REQUIRED = [name for name in PRODUCTION if name != "DJANGO_ENV"]


@pytest.mark.parametrize("missing", REQUIRED)
def test_production_refuses_to_start_without_required_variables(missing):
    env = dict(PRODUCTION)
    del env[missing]
    result = load_settings(**env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert missing in result.stderr


UNSAFE = {
    "no broker": ({"CELERY_BROKER_URL": ""}, "production needs a broker"),
    "tasks in requests": ({"CELERY_TASK_ALWAYS_EAGER": "true"}, "CELERY_TASK_ALWAYS_EAGER"),
    "http site": ({"SITE_URL": "http://lov.example.se"}, "SITE_URL must be an https://"),
    "debug": ({"DJANGO_DEBUG": "true"}, "DJANGO_DEBUG must not be true"),
    "short key": ({"DJANGO_SECRET_KEY": "x" * 49}, "DJANGO_SECRET_KEY is too short"),
    "simple key": ({"DJANGO_SECRET_KEY": "ab" * 40}, "DJANGO_SECRET_KEY is too short"),
}


@pytest.mark.parametrize("case", UNSAFE)
def test_production_refuses_unsafe_settings_with_a_clear_message(case):
    change, message = UNSAFE[case]
    result = load_settings(**{**PRODUCTION, **change})
    assert result.returncode != 0
    assert "Unsafe production settings" in result.stderr
    assert message in result.stderr


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DATABASE_", "REDIS_", "CELERY_", "SITE_URL"))
    }
    return _server.run(argv=["manage.py", *args], cwd=ROOT, env={**clean, **env}, timeout=120)


@pytest.mark.parametrize("case", ["REDIS_URL", "http site", "debug", "short key", "no broker"])
def test_check_deploy_fails_on_each_unsafe_setting(case, tmp_path):
    env = {**PRODUCTION, "DJANGO_STATIC_ROOT": str(tmp_path)}
    if case in UNSAFE:
        change, message = UNSAFE[case]
        env.update(change)
    else:
        del env[case]
        message = case
    result = _manage("check", "--deploy", **env)
    assert result.returncode != 0
    assert message in result.stderr


def test_check_deploy_passes_with_a_safe_production_environment(tmp_path):
    from lov_portal.core.pdf import development_seal_generate

    cert, key = tmp_path / "seal.crt", tmp_path / "seal.key"
    development_seal_generate(cert_path=cert, key_path=key, name="Testsigill")
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        **{**PRODUCTION, "LOV_SEAL_CERT": str(cert), "LOV_SEAL_KEY": str(key)},
        DJANGO_STATIC_ROOT=str(tmp_path),
    )
    assert result.returncode == 0, result.stderr


def test_production_turns_on_the_secure_settings():
    import json

    result = load_settings(**PRODUCTION)
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert values["debug"] is False
    assert values["ssl"] is True
    assert values["hsts"] >= 31536000
    assert values["secure_cookie"] is True


def test_health_is_exempt_from_the_https_redirect(client, settings, db):
    # A load balancer probing over http must see 200, not 301 (issue 15).
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/health/").status_code == 200
    assert client.get("/").status_code == 301


def test_the_wsgi_application_refuses_to_start_with_unsafe_settings():
    # What gunicorn's worker imports at start-up (lov_portal.wsgi).
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DATABASE_", "REDIS_", "CELERY_", "SITE_URL"))
    }
    env = {**clean, **PRODUCTION, "SITE_URL": "http://lov.example.se"}
    result = _server.run(code="import lov_portal.wsgi", cwd=ROOT, env=env, timeout=60)
    assert result.returncode != 0
    assert "Unsafe production settings" in result.stderr
    assert "SITE_URL must be an https://" in result.stderr
