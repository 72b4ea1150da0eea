"""Lumethic settings: one module, read from the environment.

Defaults run on a fresh clone (SQLite in WAL mode, django-q2's ORM broker,
local media, console e-mail, Stripe off); scale-out is settings alone:
DATABASE_URL (PostgreSQL), REDIS_URL (django-q2 broker), AWS_STORAGE_BUCKET_NAME (S3).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from lumethic.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("LUMETHIC_VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("DEBUG", default=False)
TESTING = env_bool("LUMETHIC_TESTING", default=False)


def _secret_key() -> str:
    key = env_str("DJANGO_SECRET_KEY")
    if key:
        return key
    https_site = env_str("SITE_URL").startswith("https://")
    production = env_bool("LUMETHIC_PRODUCTION", default=https_site and not DEBUG)
    if not DEBUG and (production or env_bool("LUMETHIC_REQUIRE_SECRET", default=False)):
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set in production")
    # Development: a stable random key kept beside the data, never committed.
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,testserver")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", "")
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_q",
    "lumethic",
    "apikeys",
    "verifications",
    "sharing",
    "marketplace",
    "provenance",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "lumethic.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "lumethic.middleware.CurrentAccountMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "lumethic.middleware.ApiJsonErrorsMiddleware",
]

ROOT_URLCONF = "lumethic.urls"
WSGI_APPLICATION = "lumethic.wsgi.application"
ASGI_APPLICATION = "lumethic.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "lumethic.context_processors.site",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": env_str("SQLITE_PATH", str(VAR_DIR / "lumethic.sqlite3")),
            "OPTIONS": {
                # IMMEDIATE takes the write lock at BEGIN, so concurrent writers
                # queue on the busy timeout instead of failing with "locked".
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000;"
                ),
            },
            # A file, not shared-cache memory: tests then see the same locking
            # (WAL + busy timeout) as the running service.
            # Per process, so parallel runs (xdist, several checkouts) never share it.
            "TEST": {"NAME": str(VAR_DIR / f"test-{os.getpid()}.sqlite3")},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "lumethic.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "/login/"
LOGIN_REDIRECT_URL = "/dashboard/"
LOGOUT_REDIRECT_URL = "/"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Static and media ----------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
MEDIA_URL = "/media/"
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

AWS_STORAGE_BUCKET_NAME = env_str("AWS_STORAGE_BUCKET_NAME")
if AWS_STORAGE_BUCKET_NAME:
    _default_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "endpoint_url": env_str("AWS_S3_ENDPOINT_URL") or None,
            "region_name": env_str("AWS_S3_REGION_NAME") or None,
            "querystring_auth": True,
            "querystring_expire": env_int("SIGNED_URL_SECONDS", 300, minimum=10),
            "file_overwrite": False,
            "default_acl": "private",
        },
    }
else:
    _default_storage = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(MEDIA_ROOT), "base_url": MEDIA_URL},
    }
STORAGES = {
    "default": _default_storage,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
SIGNED_URL_SECONDS = env_int("SIGNED_URL_SECONDS", 300, minimum=10)

# --- Uploads ---------------------------------------------------------------------
# Every upload goes to a temporary file on disk: nothing large is held in memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 0
FILE_UPLOAD_HANDLERS = ["verifications.uploads.LimitedTemporaryFileUploadHandler"]
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
MAX_RAW_BYTES = env_int("MAX_RAW_BYTES", 200 * 1024 * 1024, minimum=1024)
MAX_JPEG_BYTES = env_int("MAX_JPEG_BYTES", 50 * 1024 * 1024, minimum=1024)
MAX_IMAGE_PIXELS = env_int("MAX_IMAGE_PIXELS", 120_000_000, minimum=1)

# --- API -------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "lumethic.api.authentication.ApiKeyAuthentication",
        "lumethic.api.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "rest_framework.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "EXCEPTION_HANDLER": "lumethic.api.errors.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "lumethic.api.schema.AutoSchema",
    "DEFAULT_THROTTLE_CLASSES": ["lumethic.api.throttling.ApiKeyRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"api_key": env_str("API_RATE_LIMIT", "600/min")},
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "DATETIME_FORMAT": "%Y-%m-%dT%H:%M:%S.%fZ",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Lumethic API",
    "DESCRIPTION": "Prove that a published JPEG is an honest rendition of its camera RAW.",
    "VERSION": "1.0.0",
    "OAS_VERSION": "3.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": r"/v1",
    "TAGS": [
        {"name": "Verifications"},
        {"name": "Public Access"},
        {"name": "API Keys"},
        {"name": "Marketplace"},
        {"name": "Attestations"},
    ],
    "AUTHENTICATION_WHITELIST": ["lumethic.api.authentication.ApiKeyAuthentication"],
    "ENUM_NAME_OVERRIDES": {},
    "DISABLE_ERRORS_AND_WARNINGS": True,
    "PATH_CONVERTER_OVERRIDES": {"anyuuid": {"type": "string", "format": "uuid"}},
}

# --- Provenance (C2PA) -------------------------------------------------------------
# PEM certificate chain (leaf first) and private key that sign our Content Credentials.
# Unset: a development CA + leaf are generated once into VAR_DIR/c2pa/ (never for production).
C2PA_CERT_PATH = env_str("C2PA_CERT_PATH")
C2PA_KEY_PATH = env_str("C2PA_KEY_PATH")

# --- Worker (django-q2) ------------------------------------------------------------
REDIS_URL = env_str("REDIS_URL")
ENGINE_TIMEOUT_SECONDS = env_int("ENGINE_TIMEOUT_SECONDS", 300, minimum=5)
ENGINE_MEMORY_BYTES = env_int("ENGINE_MEMORY_BYTES", 3 * 1024**3, minimum=256 * 1024**2)
ENGINE_MAX_ATTEMPTS = env_int("ENGINE_MAX_ATTEMPTS", 2, minimum=1)
HEARTBEAT_SECONDS = env_int("HEARTBEAT_SECONDS", 10, minimum=1)
STALE_AFTER_SECONDS = env_int("STALE_AFTER_SECONDS", 90, minimum=5)
Q_CLUSTER = {
    "name": "lumethic",
    "workers": env_int("WORKERS", 2, minimum=1),
    "recycle": 50,
    # The engine child has its own timeout; this one only catches a wedged worker.
    "timeout": ENGINE_TIMEOUT_SECONDS + 60,
    "retry": ENGINE_TIMEOUT_SECONDS + 120,
    # Our reaper owns retries (attempts are counted on the row), not django-q.
    "max_attempts": 1,
    "ack_failures": True,
    "save_limit": 500,
    "catch_up": False,
    "poll": 0.5,
    "label": "Tasks",
}
if REDIS_URL:
    Q_CLUSTER["redis"] = REDIS_URL
else:
    Q_CLUSTER["orm"] = "default"

# --- E-mail ------------------------------------------------------------------------
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Lumethic <no-reply@lumethic.local>")
_email_url = env_str("EMAIL_URL", "console://")
_parsed = urlparse(_email_url)
if _parsed.scheme in ("smtp", "smtps", "submission"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = _parsed.hostname or "localhost"
    EMAIL_PORT = _parsed.port or (465 if _parsed.scheme == "smtps" else 587)
    EMAIL_HOST_USER = unquote(_parsed.username or "")
    EMAIL_HOST_PASSWORD = unquote(_parsed.password or "")
    _query = parse_qs(_parsed.query)
    EMAIL_USE_SSL = _parsed.scheme == "smtps"
    EMAIL_USE_TLS = not EMAIL_USE_SSL and _query.get("tls", ["true"])[0] != "false"
elif _parsed.scheme == "locmem":
    EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
elif _parsed.scheme == "console":
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
else:
    raise ImproperlyConfigured(f"EMAIL_URL scheme {_parsed.scheme!r} is not supported")

# --- Payments ------------------------------------------------------------------------
STRIPE_SECRET_KEY = env_str("STRIPE_SECRET_KEY")
STRIPE_WEBHOOK_SECRET = env_str("STRIPE_WEBHOOK_SECRET")
STRIPE_API_BASE = env_str("STRIPE_API_BASE")
STRIPE_PRICE_BASIC = env_str("STRIPE_PRICE_BASIC")
STRIPE_PRICE_PROFESSIONAL = env_str("STRIPE_PRICE_PROFESSIONAL")
DOWNLOAD_WINDOW_DAYS = env_int("DOWNLOAD_WINDOW_DAYS", 7, minimum=1)
OVERAGE_PRICE_CENTS = env_int("OVERAGE_PRICE_CENTS", 25, minimum=0)

# --- Security ------------------------------------------------------------------------
# One switch turns on everything that needs HTTPS: secure cookies, HSTS, the
# HTTPS redirect. It follows SITE_URL (an https:// site outside DEBUG is
# production) and can be forced either way with LUMETHIC_PRODUCTION. `make run`
# serves http://127.0.0.1, so login keeps working there with plain cookies.
PRODUCTION = env_bool("LUMETHIC_PRODUCTION", default=SITE_URL.startswith("https://") and not DEBUG)
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("DEBUG must be off when LUMETHIC_PRODUCTION is on")
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", default=PRODUCTION)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000 if PRODUCTION else 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=PRODUCTION)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=PRODUCTION)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=PRODUCTION)
# Behind a TLS-terminating proxy, trust its X-Forwarded-Proto (only when told to).
if env_bool("SECURE_PROXY_SSL_HEADER", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# The health check is probed over plain HTTP by load balancers.
SECURE_REDIRECT_EXEMPT = [r"^v1/public/health$"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.request": {"level": "ERROR"}},
}

# --- Cache (rate limits, short-lived state) ---------------------------------------------
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
