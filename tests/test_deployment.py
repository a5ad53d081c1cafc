"""docker-compose.yml cannot run on these machines, so its shape is checked by reading it."""

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def makefile_recipe(target: str) -> str:
    text = (ROOT / "Makefile").read_text()
    match = re.search(rf"^{target}:.*\n((?:\t.*\n)+)", text, re.MULTILINE)
    assert match, f"no target {target}"
    lines = [line.strip() for line in match.group(1).splitlines()]
    return " && ".join(line.replace("$(BIN)/", "") for line in lines)


def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_compose_has_the_production_services():
    services = compose()["services"]
    assert {"postgres", "redis", "web", "worker", "beat", "mailpit", "migrate"} <= set(services)


def test_compose_commands_are_the_makefiles():
    services = compose()["services"]
    assert services["web"]["command"] == makefile_recipe("serve")
    assert services["worker"]["command"] == makefile_recipe("worker")
    assert services["beat"]["command"] == makefile_recipe("beat")
    assert services["migrate"]["command"] == f'sh -c "{makefile_recipe("release")}"'


def test_app_services_run_in_production_mode_with_the_required_variables():
    services = compose()["services"]
    for name in ["web", "worker", "beat", "migrate"]:
        env = services[name]["environment"]
        assert env["DJANGO_ENV"] == "production"
        for variable in ["DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS", "DATABASE_URL", "REDIS_URL"]:
            assert env[variable], f"{name} lacks {variable}"
        assert env["DATABASE_URL"].startswith("postgres://") and "@postgres:" in env["DATABASE_URL"]
        assert "@" not in env["REDIS_URL"] and "//redis:" in env["REDIS_URL"]
        # The receipts' seal comes from ./secrets, mounted read-only where the variables point.
        assert "./secrets:/run/secrets/lov:ro" in services[name]["volumes"]
        assert env["LOV_SEAL_CERT"].startswith("/run/secrets/lov/")
        assert env["LOV_SEAL_KEY"].startswith("/run/secrets/lov/")


def test_web_waits_for_migrations_and_checks_health():
    web = compose()["services"]["web"]
    assert web["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert "/health/" in " ".join(web["healthcheck"]["test"])


def test_dockerfile_default_command_is_the_web_command():
    dockerfile = (ROOT / "Dockerfile").read_text()
    cmd = re.search(r"^CMD \[(.*)\]$", dockerfile, re.MULTILINE).group(1)
    parts = [p.strip().strip('"') for p in cmd.split(",")]
    assert " ".join(parts) == makefile_recipe("serve")


def gunicorn_config() -> dict:
    import runpy

    from gunicorn.config import KNOWN_SETTINGS

    values = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    known = {setting.name for setting in KNOWN_SETTINGS}
    return {name: value for name, value in values.items() if name in known}


def test_serve_uses_the_gunicorn_configuration_file():
    assert (
        makefile_recipe("serve") == "gunicorn lov_portal.wsgi:application --config gunicorn.conf.py"
    )


def test_gunicorn_recycles_workers_and_limits_requests():
    config = gunicorn_config()
    assert config["max_requests"] > 0 and 0 < config["max_requests_jitter"] < config["max_requests"]
    assert 0 < config["timeout"] <= 60
    assert config["limit_request_line"] <= 8190
    assert config["limit_request_fields"] <= 100
    assert config["limit_request_field_size"] <= 8190
    assert config["accesslog"] == "-"
    assert config["bind"] == "0.0.0.0:8000"


def test_gunicorn_accepts_the_configuration_file(tmp_path):
    import subprocess
    import sys

    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--check-config",
            "--config",
            "gunicorn.conf.py",
            "lov_portal.wsgi:application",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr
