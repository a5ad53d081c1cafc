"""LÖV-portalen settings: one module, driven by environment variables.

Longer than 400 lines on purpose: settings stay one module (docs/architecture.md,
cookiecutter-django's habit), read top to bottom with every environment variable beside the
setting it drives; split, the production checks would lose sight of what they check.

With nothing set, the embedded default runs: SQLite in var/, Celery tasks in-process,
e-mail to the console and a local-memory cache. See README.md for every variable.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("DJANGO_VAR_DIR", BASE_DIR / "var"))


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


DJANGO_ENV = env("DJANGO_ENV", "development")
PRODUCTION = DJANGO_ENV == "production"

# What production needs: without Redis each worker has its own cache and rate limits; without
# a broker PDFs render in the web request and nothing is scheduled; without an https SITE_URL
# e-mails, calendars and CSVs link to http://127.0.0.1:8000 (issue 15).
PRODUCTION_REQUIRED = (
    "DJANGO_SECRET_KEY",
    "DJANGO_ALLOWED_HOSTS",
    "DATABASE_URL",
    "REDIS_URL",
    "SITE_URL",
    # The seal of receipts and the key of the register log's checkpoints (docs/evidence.md).
    "LOV_SEAL_CERT",
    "LOV_SEAL_KEY",
    "LOV_LOG_SIGNING_KEY",
)
MIN_SECRET_KEY_LENGTH = 50


def production_problems() -> list[str]:
    """Why this environment is not safe to run in production (empty: it is)."""
    problems = []
    missing = [name for name in PRODUCTION_REQUIRED if not env(name).strip()]
    if missing:
        problems.append(
            "DJANGO_ENV=production needs these environment variables: " + ", ".join(missing)
        )
    if env("REDIS_URL").strip() and not env("CELERY_BROKER_URL", env("REDIS_URL")).strip():
        problems.append(
            "CELERY_BROKER_URL is empty: production needs a broker (it defaults to REDIS_URL)"
        )
    if env_bool("CELERY_TASK_ALWAYS_EAGER"):
        problems.append(
            "CELERY_TASK_ALWAYS_EAGER=true: production runs tasks on the worker, not in requests"
        )
    site_url = env("SITE_URL").strip()
    if site_url and not site_url.lower().startswith("https://"):
        problems.append(f"SITE_URL must be an https:// address in production (got {site_url!r})")
    if env_bool("DJANGO_DEBUG"):
        problems.append("DJANGO_DEBUG must not be true in production")
    if env("LOV_BANKID_URL").strip() and not env("LOV_BANKID_SIGNATURE_CA").strip():
        problems.append(
            "LOV_BANKID_URL is set but LOV_BANKID_SIGNATURE_CA is empty: no BankID signature "
            "could be verified (give BankID's root CA, PEM text or a file)"
        )
    secret = env("DJANGO_SECRET_KEY")
    if secret and (
        len(secret) < MIN_SECRET_KEY_LENGTH
        or len(set(secret)) < 5
        or secret.startswith("django-insecure")
    ):
        problems.append(
            f"DJANGO_SECRET_KEY is too short or too simple (at least {MIN_SECRET_KEY_LENGTH} "
            "random characters; python -c 'import secrets; print(secrets.token_urlsafe(50))')"
        )
    return problems


if PRODUCTION and (_problems := production_problems()):
    # Raised while the settings load, so `manage.py check --deploy`, gunicorn and Celery all
    # refuse to start, each with this message.
    raise ImproperlyConfigured(
        "Unsafe production settings:\n" + "\n".join(f"- {p}" for p in _problems)
    )

DEBUG = env_bool("DJANGO_DEBUG", default=not PRODUCTION)
# The development key is only ever used when DJANGO_ENV is not production (checked above).
SECRET_KEY = env("DJANGO_SECRET_KEY") or "dev-insecure-key-not-for-production"
ALLOWED_HOSTS = env_list(
    "DJANGO_ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,testserver"
)
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# How many reverse proxies we control sit in front of the portal. 0: ignore X-Forwarded-For
# (it can be forged) and use REMOTE_ADDR. See lov_portal.core.http.client_ip, which allauth's
# rate limits and user sessions also use (lov_portal.accounts.adapter).
TRUSTED_PROXY_COUNT = int(env("DJANGO_TRUSTED_PROXY_COUNT", "0"))
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT

# --- Applications ---------------------------------------------------------------------------
DJANGO_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # The widgets' templates, for the project's form renderer (lov_portal.core.forms).
    "django.forms",
]
THIRD_PARTY_APPS = [
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "django_celery_beat",
    "rules.apps.AutodiscoverRulesConfig",
]
LOCAL_APPS = [
    "lov_portal.accounts",
    "lov_portal.core",
    "lov_portal.audit",
    "lov_portal.tlog",
    "lov_portal.bankid",
    "organisations",
    "agreements",
    "commitments",
    "meetings",
    "lov_portal.portal",
    "lov_portal.privacy",
    "lov_portal.reminders",
    "lov_portal.reports",
]
INSTALLED_APPS = DJANGO_APPS + THIRD_PARTY_APPS + LOCAL_APPS

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "lov_portal.core.middleware.HeadAsGetMiddleware",
    # Cached anonymous public pages are answered here, before everything below runs.
    "lov_portal.core.cache.PublicPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # The content versions read once a request, with the person's cached entries.
    "lov_portal.core.cache.RequestCacheMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "allauth.usersessions.middleware.UserSessionsMiddleware",
    "lov_portal.accounts.middleware.AbsoluteSessionTimeoutMiddleware",
    "lov_portal.accounts.middleware.StaffMFAMiddleware",
    "lov_portal.core.middleware.SecurityHeadersMiddleware",
    "lov_portal.core.cache.PrivatePagesMiddleware",
]

ROOT_URLCONF = "lov_portal.urls"
# Every field renders through components/form_field.html (lov_portal/core/forms.py).
FORM_RENDERER = "lov_portal.core.forms.PortalFormRenderer"
WSGI_APPLICATION = "lov_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            # Every template translates (the interface is Swedish first with a complete English
            # translation), so the translation tags need no `{% load i18n %}` (issue 17); and
            # every date is written with `{% time %}` (lov_portal/core/templatetags/times.py).
            "builtins": ["django.templatetags.i18n", "lov_portal.core.templatetags.times"],
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "lov_portal.core.context_processors.portal",
                "lov_portal.portal.context_processors.nav",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
DATABASE_URL = env("DATABASE_URL")
if DATABASE_URL:
    _db = dj_database_url.parse(DATABASE_URL)
    if _db["ENGINE"] == "django.db.backends.postgresql" and env_bool("DATABASE_POOL"):
        # psycopg 3's pool; persistent connections and the pool exclude each other.
        _db["OPTIONS"] = {**_db.get("OPTIONS", {}), "pool": {"min_size": 2, "max_size": 8}}
        _db["CONN_MAX_AGE"] = 0
    else:
        _db["CONN_MAX_AGE"] = int(env("DATABASE_CONN_MAX_AGE", "60"))
        _db["CONN_HEALTH_CHECKS"] = True
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    _db = {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": VAR_DIR / "db.sqlite3",
        "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": 20},
    }
DATABASES = {"default": _db}
USING_POSTGRES = DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache, Redis and Celery ----------------------------------------------------------------
REDIS_URL = env("REDIS_URL")
_TEST_WORKER = env("PYTEST_XDIST_WORKER")  # gw0, gw1, ... in a parallel test run
if REDIS_URL and _TEST_WORKER.startswith("gw") and _TEST_WORKER[2:].isdigit():
    # Each test worker gets its own Redis database (tests clear the cache), as pytest-django
    # gives each its own test database.
    import re

    REDIS_URL = re.sub(
        r"/(\d+)$",
        lambda m: f"/{(int(m.group(1)) + 1 + int(_TEST_WORKER[2:])) % 16}",
        REDIS_URL,
    )
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "lov_portal.core.redis_cache.ReusingRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env("CACHE_KEY_PREFIX", "lov"),
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Sessions: read from the cache, written through to the database (one query less on every
# logged-in request). Only with Redis: the embedded default's cache is per process, so a
# session ended (logout, erasure) in one worker would live on in another's copy. Code that
# ends sessions goes through the session store, never `Session.objects` (decision 74).
SESSION_ENGINE = (
    "django.contrib.sessions.backends.cached_db"
    if REDIS_URL
    else "django.contrib.sessions.backends.db"
)

CELERY_BROKER_URL = env("CELERY_BROKER_URL", REDIS_URL)
# Without a broker, tasks run in-process, in the caller's thread (the embedded default).
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", default=not CELERY_BROKER_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = 120
CELERY_TASK_TIME_LIMIT = 180
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "Europe/Stockholm"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"

# --- Authentication (django-allauth) --------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "todo"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
# Sign-up remembers the language of the page as the language of e-mails.
ACCOUNT_FORMS = {"signup": "lov_portal.accounts.forms.SignupForm"}
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[LÖV-portalen] "
ACCOUNT_ADAPTER = "lov_portal.accounts.adapter.AccountAdapter"
ACCOUNT_RATE_LIMITS = {
    # Per client address, and per (account, address): the adapter adds the address to the
    # key, so nobody can lock another person out by failing on their e-mail (issue 15).
    "login_failed": "10/m/ip,30/h/ip,5/5m/key",
    "signup": "20/m/ip",
    "confirm_email": "1/3m/key",
    # A rate limit, not a password (bandit B105 mistakes the key name).
    "reset_password": "20/m/ip,5/m/key",  # nosec B105
}
# Changing e-mail, password or MFA asks for the password (or an MFA code) again.
ACCOUNT_REAUTHENTICATION_REQUIRED = True
# What counts as a re-authentication: allauth's own, and identifying with the BankID linked to
# the account (lov_portal.accounts.bankid, issue 18).
ACCOUNT_REAUTHENTICATION_METHODS = ["password", "code", "mfa", "bankid"]
# Sessions are recorded at login; tracking every request would cost ~5 queries a page.
USERSESSIONS_TRACK_ACTIVITY = False
# Second factors: an authenticator app (TOTP), passkeys and security keys (WebAuthn, through
# fido2), and recovery codes. A passkey also logs in by itself (it is something you have,
# unlocked by something you are or know), issue 18.
MFA_SUPPORTED_TYPES = ["totp", "webauthn", "recovery_codes"]
MFA_PASSKEY_LOGIN_ENABLED = True
# Development and tests run over http on 127.0.0.1; production is always https.
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = not PRODUCTION
MFA_TOTP_ISSUER = "LÖV-portalen"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- E-mail ---------------------------------------------------------------------------------
EMAIL_URL = env("EMAIL_URL")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "LÖV-portalen <noreply@lov.example.se>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
if env("EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = env("EMAIL_HOST")
    EMAIL_PORT = int(env("EMAIL_PORT", "25"))
    EMAIL_HOST_USER = env("EMAIL_HOST_USER")
    EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

# --- Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", _("Svenska")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True

# --- Static and uploaded files --------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env("DJANGO_STATIC_ROOT", str(VAR_DIR / "static")))
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded files are private: they live outside the static folder and are served by views
# that check permission.
MEDIA_ROOT = Path(env("DJANGO_MEDIA_ROOT", str(VAR_DIR / "media")))
WHITENOISE_USE_FINDERS = DEBUG
if not PRODUCTION:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# --- Security -------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# Idle timeout: a session unused for SESSION_COOKIE_AGE ends. Activity renews it, at most
# once per SESSION_RENEW_SECONDS (lov_portal.accounts.middleware): saving the session on every
# request would cost three queries per page.
SESSION_COOKIE_AGE = int(env("DJANGO_SESSION_IDLE_SECONDS", str(60 * 60)))
SESSION_RENEW_SECONDS = 300
# Absolute timeout: a session ends this long after login however active it is
# (lov_portal.accounts.middleware.AbsoluteSessionTimeoutMiddleware).
SESSION_ABSOLUTE_AGE = int(env("DJANGO_SESSION_ABSOLUTE_SECONDS", str(60 * 60 * 12)))
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
# A load balancer probes /health/ over plain http: it must get the answer, not a redirect.
SECURE_REDIRECT_EXEMPT = [r"^health/$"]
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(env("DJANGO_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https"

# --- Logging --------------------------------------------------------------------------------
# Permission denials and bad requests/hosts are logged as one line, without a traceback;
# real errors keep theirs (lov_portal.core.logging).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"expected_refusals": {"()": "lov_portal.core.logging.ExpectedRefusals"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["expected_refusals"]}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "django.request": {"filters": ["expected_refusals"]},
        "django.security": {"filters": ["expected_refusals"]},
        "django.security.DisallowedHost": {"filters": ["expected_refusals"]},
        "django.security.SuspiciousOperation": {"filters": ["expected_refusals"]},
    },
}

# --- The portal -----------------------------------------------------------------------------
# The agreement the public pages show when a URL names none (a portal may hold several).
DEFAULT_AGREEMENT_SLUG = env("DEFAULT_AGREEMENT_SLUG", "lov")
# Routes /__baseline__/ for bench/load.py; never set it in a real deployment.
BENCHMARK_BASELINE = env_bool("BENCHMARK_BASELINE")
# IP addresses in signature evidence and the audit log are removed after this many days.
IP_ADDRESS_RETENTION_DAYS = int(env("IP_ADDRESS_RETENTION_DAYS", "365"))
# The seal on signature receipts (lov_portal.core.pdf): PEM files of the organisation
# certificate and its unencrypted key. Required in production; in development a self-signed
# seal is generated into var/seal/ on first use.
LOV_SEAL_CERT = env("LOV_SEAL_CERT")
LOV_SEAL_KEY = env("LOV_SEAL_KEY")
# An RFC 3161 time-stamping authority: when set, every seal carries its timestamp (PAdES B-T).
LOV_TSA_URL = env("LOV_TSA_URL")
# Where people write about accessibility problems and personal data.
PORTAL_CONTACT_EMAIL = env("PORTAL_CONTACT_EMAIL", "kansli@lov.example.se")

# --- Evidence: the register's transparency log (docs/evidence.md) -----------------------------
# The Ed25519 key that signs checkpoints, in Go's note format (PRIVATE+KEY+name+id+base64).
# Required in production (`manage.py tlog_keygen NAME` makes one); in development a key is
# generated into var/ on first use.
LOV_LOG_SIGNING_KEY = env("LOV_LOG_SIGNING_KEY")
# Verifier keys of earlier signing keys (space-separated), still accepted for old checkpoints.
LOV_LOG_PREVIOUS_VKEYS = env("LOV_LOG_PREVIOUS_VKEYS")

# --- BankID (RP API v6.0, lov_portal.bankid) ---------------------------------------------------
# The API's base URL; empty: BankID is not offered. BankID's production API is
# https://appapi2.bankid.com/rp/v6.0/ (test: https://appapi2.test.bankid.com/rp/v6.0/). In
# development it defaults to the local simulator (`make bankid-simulator`).
LOV_BANKID_URL = env(
    "LOV_BANKID_URL", "" if PRODUCTION or not DEBUG else "http://127.0.0.1:8190/rp/v6.0/"
)
# Mutual TLS: the relying party's certificate and key (PEM files) and BankID's CA (PEM).
LOV_BANKID_CERT = env("LOV_BANKID_CERT")
LOV_BANKID_KEY = env("LOV_BANKID_KEY")
LOV_BANKID_CA = env("LOV_BANKID_CA")
LOV_BANKID_TIMEOUT = float(env("LOV_BANKID_TIMEOUT", "10"))
# The CA (PEM text, or a PEM file's path) a completed order's signature and OCSP response
# must chain to: BankID's root for the environment used. Empty: no BankID signature is
# accepted. In development: the simulator's CA, which `make bankid-simulator` writes there.
LOV_BANKID_SIGNATURE_CA = env(
    "LOV_BANKID_SIGNATURE_CA",
    "" if PRODUCTION or not DEBUG else str(VAR_DIR / "bankid-simulator" / "ca.pem"),
)
# The key of the HMAC-SHA256 kept instead of a linked BankID's personal identity number
# (lov_portal.accounts.bankid). Empty: derived from SECRET_KEY, so rotating SECRET_KEY
# unlinks every BankID (people link again); set it to keep links across such a rotation.
LOV_BANKID_PNO_KEY = env("LOV_BANKID_PNO_KEY")
# How organisations may sign online, in the order the signing page offers them: "bankid"
# (needs LOV_BANKID_URL) and "password" (typed name, password and second factor again).
LOV_SIGNING_METHODS = env_list(
    "LOV_SIGNING_METHODS", "password" if PRODUCTION or not DEBUG else "bankid,password"
)
