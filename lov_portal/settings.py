"""LÖV-portalen settings: one module, driven by environment variables.

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

if PRODUCTION:
    missing = [
        name
        for name in ("DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS", "DATABASE_URL")
        if not env(name)
    ]
    if missing:
        raise ImproperlyConfigured(
            "DJANGO_ENV=production needs these environment variables: " + ", ".join(missing)
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
# (it can be forged) and use REMOTE_ADDR. See lov_portal.core.http.client_ip. allauth's rate
# limits read the same number.
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
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
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
WSGI_APPLICATION = "lov_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "lov_portal.core.context_processors.portal",
                "commitments.context_processors.commitments",
                "lov_portal.portal.context_processors.todo",
                "lov_portal.reports.context_processors.reports",
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
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env("CACHE_KEY_PREFIX", "lov"),
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

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
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "confirm_email": "1/3m/key",
    # A rate limit, not a password (bandit B105 mistakes the key name).
    "reset_password": "20/m/ip,5/m/key",  # nosec B105
}
# Changing e-mail, password or MFA asks for the password (or an MFA code) again.
ACCOUNT_REAUTHENTICATION_REQUIRED = True
# Sessions are recorded at login; tracking every request would cost ~5 queries a page.
USERSESSIONS_TRACK_ACTIVITY = False
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
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
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# --- The portal -----------------------------------------------------------------------------
# The agreement the public pages show when a URL names none (a portal may hold several).
DEFAULT_AGREEMENT_SLUG = env("DEFAULT_AGREEMENT_SLUG", "lov")
# Routes /__baseline__/ for bench/load.py; never set it in a real deployment.
BENCHMARK_BASELINE = env_bool("BENCHMARK_BASELINE")
# IP addresses in signature evidence and the audit log are removed after this many days.
IP_ADDRESS_RETENTION_DAYS = int(env("IP_ADDRESS_RETENTION_DAYS", "365"))
# Where people write about accessibility problems and personal data.
PORTAL_CONTACT_EMAIL = env("PORTAL_CONTACT_EMAIL", "kansli@lov.example.se")

# --- Evidence: the register's transparency log (docs/evidence.md) -----------------------------
# The Ed25519 key that signs checkpoints, in Go's note format (PRIVATE+KEY+name+id+base64).
# Required in production (`manage.py tlog_keygen NAME` makes one); in development a key is
# generated into var/ on first use.
LOV_LOG_SIGNING_KEY = env("LOV_LOG_SIGNING_KEY")
# Verifier keys of earlier signing keys (space-separated), still accepted for old checkpoints.
LOV_LOG_PREVIOUS_VKEYS = env("LOV_LOG_PREVIOUS_VKEYS")
