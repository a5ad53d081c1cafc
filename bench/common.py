"""What the benchmarks share: the production-shaped environment a measured server runs in."""

from __future__ import annotations

import os
import platform
import re
import subprocess
import sys
from pathlib import Path

# Go's sumdb/note example key: production settings require a checkpoint key; a benchmark
# signs nothing anyone relies on.
EXAMPLE_LOG_KEY = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"


def production_env(tmp: Path, *, database_url: str, drop: tuple[str, ...], **extra: str) -> dict:
    """The current environment without `drop`-prefixed variables, plus production settings
    that pass the portal's checks: a long secret key, Redis, an https SITE_URL, a throwaway
    seal made with openssl in `tmp`, the example log key. `extra` overrides or adds."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(drop)}
    env.update(
        DJANGO_ENV="production",
        DJANGO_SECRET_KEY="bench-" + "x" * 60,
        DJANGO_SECURE_SSL_REDIRECT="false",
        DJANGO_VAR_DIR=str(tmp),
        DJANGO_STATIC_ROOT=str(tmp / "static"),
        DATABASE_URL=database_url,
        REDIS_URL=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/9"),
        SITE_URL="https://lov.example.se",
        DJANGO_SETTINGS_MODULE="lov_portal.settings",
        DJANGO_LOG_LEVEL="WARNING",
        LOV_SEAL_CERT=str(tmp / "seal.crt"),
        LOV_SEAL_KEY=str(tmp / "seal.key"),
        LOV_LOG_SIGNING_KEY=EXAMPLE_LOG_KEY,
    )
    env.update(extra)
    subprocess.run(  # a throwaway seal: production settings require one
        [
            *("openssl", "req", "-x509", "-newkey", "rsa:3072", "-nodes", "-days", "30"),
            *("-subj", "/CN=Benchmark seal", "-keyout", env["LOV_SEAL_KEY"]),
            *("-out", env["LOV_SEAL_CERT"]),
        ],
        check=True,
        capture_output=True,
    )
    return env


ROOT = Path(__file__).resolve().parent.parent
# The machine column of the benchmark tables.
MACHINE = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
RESULTS = ROOT / "docs" / "benchmarks.md"


def run(*args: str, env: dict[str, str]) -> str:
    """Run this Python with `args` in the checkout with `env`; its standard output."""
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def manage(*args: str, env: dict[str, str]) -> str:
    """Run `manage.py` in the checkout with `env`; its standard output."""
    return run("manage.py", *args, env=env)


def results_section_write(heading: str, section: str) -> None:
    """Replace the section under `heading` in docs/benchmarks.md (or append it)."""
    text = RESULTS.read_text() if RESULTS.exists() else "# Benchmarks\n"
    if heading in text:
        start = text.index(heading)
        end = text.find("\n## ", start + len(heading))
        text = text[:start] + section + ("\n" + text[end + 1 :] if end != -1 else "")
    else:
        text = text.rstrip("\n") + "\n\n" + section
    RESULTS.write_text(text)


def results_row_write(heading: str, row: str, *, intro: str, columns: list[str]) -> None:
    """Add `row` to the table of the section under `heading` in docs/benchmarks.md, keeping one
    row per (organisations, database), the newest; a missing section starts with `intro` and a
    table of `columns`. Prints the row."""
    print(row)
    text = RESULTS.read_text() if RESULTS.exists() else "# Benchmarks\n\n"
    if heading not in text:
        table = "| " + " | ".join(columns) + " |\n|" + "---|" * len(columns) + "\n"
        text = text.rstrip("\n") + f"\n\n{heading}\n\n{intro}\n\n{table}"
    key = re.escape(row.split("|")[2].strip()) + r" \| " + re.escape(row.split("|")[3].strip())
    start = text.index(heading)
    section_end = text.find("\n\n## ", start + len(heading))
    section_end = len(text) if section_end == -1 else section_end
    section = re.sub(rf"^\| [0-9-]+ \| {key} \|.*\n?", "", text[start:section_end], flags=re.M)
    section = section.rstrip("\n") + "\n" + row + "\n"
    rest = text[section_end:]
    text = text[:start] + section + ("\n" + rest.lstrip("\n") if rest.strip() else "")
    RESULTS.write_text(text.rstrip("\n") + "\n")


SESSION_CODE = """
import time
from importlib import import_module
import django
django.setup()
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from lov_portal.accounts.middleware import LOGIN_TIME_KEY, RENEWED_KEY
from lov_portal.accounts.models import User

user = User.objects.get(email="EMAIL")
now = int(time.time())
methods = [{"method": "password", "at": now, "email": user.email}]
if user.is_staff:
    # Staff must have an authenticator (StaffMFAMiddleware); the session has passed it.
    authenticator, _ = Authenticator.objects.get_or_create(
        user=user, type=Authenticator.Type.TOTP, defaults={"data": {"secret": "bench"}}
    )
    methods.append({"method": "mfa", "at": now, "id": authenticator.pk, "type": "totp"})
session = import_module(settings.SESSION_ENGINE).SessionStore()
session[SESSION_KEY] = str(user.pk)
session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
session[HASH_SESSION_KEY] = user.get_session_auth_hash()
session["account_authentication_methods"] = methods
# As after a login a few minutes old: the session is not written on every request.
session[LOGIN_TIME_KEY] = session[RENEWED_KEY] = now
session.create()
print(settings.SESSION_COOKIE_NAME + "=" + session.session_key)
"""


def session_cookie(env: dict[str, str], email: str) -> str:
    """A logged-in session (as after a password login, plus TOTP for staff) for `email`."""
    return run("-c", SESSION_CODE.replace("EMAIL", email), env=env).strip().splitlines()[-1]
