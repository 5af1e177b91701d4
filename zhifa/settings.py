"""Django settings, all read from the environment (see README: 配置 / Configuration)."""

import os
import secrets
from pathlib import Path

import dj_database_url

from zhifa.env import ConfigError, env_bool, env_choice, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(env_str("ZHIFA_DATA_DIR", "var")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("ZHIFA_DEBUG", False)
# Plain HTTP is allowed only where stated (the local demo, tests); production runs behind HTTPS.
HTTPS = env_bool("ZHIFA_HTTPS", not DEBUG)
ALLOWED_HOSTS = env_list("ZHIFA_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("ZHIFA_CSRF_TRUSTED_ORIGINS", [])


def _secret_key() -> str:
    """ZHIFA_SECRET_KEY(_FILE), else a key generated once into the data directory (mode 0600)."""
    configured = env_str("ZHIFA_SECRET_KEY")
    if configured:
        if len(configured) < 50:
            raise ConfigError("ZHIFA_SECRET_KEY: must be at least 50 characters")
        return configured
    path = DATA_DIR / "secret-key"
    if not path.exists():
        # Written whole under a temporary name, then linked into place: processes starting together agree on
        # one key, and none reads a half-written file.
        temporary = path.with_name(f".secret-key.{os.getpid()}")
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(secrets.token_urlsafe(64))
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.link(temporary, path)
        except FileExistsError:
            pass
        except OSError:  # a file system without hard links: the last writer wins
            os.replace(temporary, path)
        finally:
            temporary.unlink(missing_ok=True)
    key = path.read_text(encoding="utf-8").strip()
    if len(key) < 50:
        raise ConfigError(f"{path}: the secret key file is damaged (shorter than 50 characters); remove it")
    return key


SECRET_KEY = _secret_key()

# Crypto profile: gm = SM3/SM2/SM4 (GB/T 39786-2021), intl = SHA-256/Ed25519/AES-GCM.
ZHIFA_CRYPTO = env_choice("ZHIFA_CRYPTO", "gm", ("gm", "intl"))
ZHIFA_KEYS_DIR = DATA_DIR / "keys"
# The origin line of transparency checkpoints (C2SP tlog-checkpoint).
ZHIFA_LOG_ORIGIN = env_str("ZHIFA_LOG_ORIGIN", "zhifa.lukou.example/record")
# The public portal's origin, e.g. https://zhifa.lukou.gov.cn (printed QR codes, links pushed by webhooks);
# empty = the request's host, or the first allowed host where there is no request.
ZHIFA_PUBLIC_URL = env_str("ZHIFA_PUBLIC_URL", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_tasks_db",
    "rest_framework",
    "drf_spectacular",
    "zhifa.core",
    "zhifa.people",
    "zhifa.record",
    "zhifa.cases",
    "zhifa.evidence",
    "zhifa.review",
    "zhifa.disclosure",
    "zhifa.catalog",
    "zhifa.web",
    "zhifa.publicity",
    "zhifa.documents",
    "zhifa.reports",
    "zhifa.webhooks",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "zhifa.web.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
]

ROOT_URLCONF = "zhifa.urls"
WSGI_APPLICATION = "zhifa.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "zhifa.web.context.navigation",
            ],
        },
    },
]


def _databases() -> dict:
    url = env_str("ZHIFA_DATABASE_URL")
    if url:
        try:
            config = dj_database_url.parse(url, conn_max_age=env_int("ZHIFA_DB_CONN_MAX_AGE", 60, 0))
        except ValueError as exc:
            raise ConfigError(f"ZHIFA_DATABASE_URL: {exc}") from exc
        if config["ENGINE"] not in {"django.db.backends.postgresql", "django.db.backends.sqlite3"}:
            raise ConfigError("ZHIFA_DATABASE_URL: only postgres:// and sqlite:// are supported")
    else:
        config = {"ENGINE": "django.db.backends.sqlite3", "NAME": str(DATA_DIR / "zhifa.sqlite3")}
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config["OPTIONS"] = {
            # IMMEDIATE: a writer takes the lock at BEGIN, so concurrent writers queue instead of failing.
            "transaction_mode": "IMMEDIATE",
            "timeout": 30,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        }
        config["TEST"] = {"NAME": str(DATA_DIR / "test.sqlite3")} if env_bool("ZHIFA_TEST_DB_ON_DISK") else {}
    return {"default": config}


DATABASES = _databases()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "people.User"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# Lockout after repeated failures (等保 2.0 login-failure handling).
ZHIFA_LOGIN_MAX_FAILURES = env_int("ZHIFA_LOGIN_MAX_FAILURES", 5, 1)
ZHIFA_LOGIN_LOCK_MINUTES = env_int("ZHIFA_LOGIN_LOCK_MINUTES", 15, 1)
# Idle timeout: the session ends after this many minutes without a request.
SESSION_COOKIE_AGE = env_int("ZHIFA_SESSION_IDLE_MINUTES", 30, 1) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = env_int("ZHIFA_HSTS_SECONDS", 31536000 if HTTPS else 0, 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if env_bool("ZHIFA_BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CSP = {
    "default-src": ["'self'"],
    "img-src": ["'self'", "data:", "blob:"],
    "media-src": ["'self'", "blob:"],
    "style-src": ["'self'"],
    "script-src": ["'self'"],
    "frame-ancestors": ["'none'"],
    "form-action": ["'self'"],
}

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
MEDIA_ROOT = DATA_DIR / "media"

# Evidence storage: local files under the data directory, or S3-compatible object storage.
ZHIFA_STORAGE = env_choice("ZHIFA_STORAGE", "local", ("local", "s3"))
_evidence_storage: dict = {
    "BACKEND": "django.core.files.storage.FileSystemStorage",
    "OPTIONS": {"location": str(DATA_DIR / "evidence"), "file_permissions_mode": 0o440},
}
if ZHIFA_STORAGE == "s3":
    _evidence_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env_str("ZHIFA_S3_BUCKET", "zhifa-evidence"),
            "endpoint_url": env_str("ZHIFA_S3_ENDPOINT_URL") or None,
            "access_key": env_str("ZHIFA_S3_ACCESS_KEY") or None,
            "secret_key": env_str("ZHIFA_S3_SECRET_KEY") or None,
            "region_name": env_str("ZHIFA_S3_REGION") or None,
            "file_overwrite": False,
            "default_acl": None,
            "querystring_auth": True,
        },
    }
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "evidence": _evidence_storage,
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
ZHIFA_EVIDENCE_MAX_BYTES = env_int("ZHIFA_EVIDENCE_MAX_MB", 4096, 1) * 1024 * 1024
# Instalment payment of fines (APL Art. 66(2) sets no limit): the agency's ceiling on instalments and on the term
# from approval to the last instalment (agency practice; defaults 12 instalments, 365 days).
ZHIFA_INSTALMENT_MAX_COUNT = env_int("ZHIFA_INSTALMENT_MAX_COUNT", 12, 2)
ZHIFA_INSTALMENT_MAX_DAYS = env_int("ZHIFA_INSTALMENT_MAX_DAYS", 365, 1)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
if env_bool("ZHIFA_TASKS_IMMEDIATE", False):
    TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "EXCEPTION_HANDLER": "zhifa.core.api_errors.exception_handler",
}
SPECTACULAR_SETTINGS = {"TITLE": "zhifa API", "VERSION": "1", "SERVE_INCLUDE_SCHEMA": False}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("ZHIFA_LOG_LEVEL", "WARNING")},
}
