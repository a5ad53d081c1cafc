"""The checkpoint signing key: from settings in production, generated into var/ in development."""

from __future__ import annotations

import functools
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from .note import Signer, signer_from_skey, signer_generate

DEV_KEY_FILE = "tlog-signing.key"


def _dev_key_name() -> str:
    host = urlsplit(settings.SITE_URL).netloc or "localhost"
    return f"{host}/logg-utveckling"


@functools.cache
def _signer_for(skey: str) -> Signer:
    return signer_from_skey(skey)


def log_signer() -> Signer:
    """The key that signs checkpoints: LOV_LOG_SIGNING_KEY, or the development key."""
    skey = getattr(settings, "LOV_LOG_SIGNING_KEY", "")
    if skey:
        return _signer_for(skey)
    if settings.PRODUCTION:
        raise ImproperlyConfigured(
            "LOV_LOG_SIGNING_KEY is required in production (manage.py tlog_keygen makes one)."
        )
    path = settings.VAR_DIR / DEV_KEY_FILE
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        signer = signer_generate(_dev_key_name())
        # Exclusive create: two processes starting at once keep the first key.
        try:
            with open(path, "x", encoding="ascii") as f:
                f.write(signer.skey + "\n")
            path.chmod(0o600)
        except FileExistsError:
            pass
    return _signer_for(path.read_text(encoding="ascii").strip())


def log_verifier_keys() -> list[str]:
    """The current verifier key first, then earlier keys still accepted for old checkpoints."""
    previous = [k for k in getattr(settings, "LOV_LOG_PREVIOUS_VKEYS", "").split() if k]
    return [log_signer().vkey, *previous]
