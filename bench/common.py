"""What the benchmarks share: the production-shaped environment a measured server runs in."""

from __future__ import annotations

import os
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
