"""Settings for Minsheng, read from the environment in this one module.

SQLite in the data directory is the embedded default; set DATABASE_URL for PostgreSQL.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    """Read a boolean from the environment ("1", "true", "yes", "on" are true)."""
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DATA_DIR = Path(os.environ.get("MINSHENG_DATA_DIR", BASE_DIR / "var")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("DEBUG", default=False)


def _secret_key() -> str:
    """Use SECRET_KEY, or a random key kept in the data directory so sessions survive restarts."""
    configured = os.environ.get("SECRET_KEY")
    if configured:
        return configured
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "minsheng.accounts",
    "minsheng.directory",
    "minsheng.workcal",
    "django_tasks",
    "django_tasks_db",
    "minsheng.clues",
    "minsheng.triage",
    "minsheng.demo",
    "minsheng.notifications",
    "minsheng.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "minsheng.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "minsheng" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "minsheng.wsgi.application"

DATABASES = {
    # An empty DATABASE_URL means "not set", as it does for the other variables.
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'minsheng.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server and workers read while one of them writes.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-65536;"
        ),
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "web:staff_login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "minsheng" / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
MEDIA_URL = "media/"
MEDIA_ROOT = DATA_DIR / "media"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
# The portal's rate limits count in the cache: with several web processes set CACHE_URL
# (redis://…) so that they share one count; the default counts per process.
CACHE_URL = os.environ.get("CACHE_URL", "")
if CACHE_URL.startswith(("redis://", "rediss://")):
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
    }

# Background work through the Django tasks API: the database queue by default (a worker runs
# `manage.py db_worker`); TASKS_BACKEND=rq puts the queue on Redis for distributed workers
# (`manage.py rqworker default`).
TASKS_BACKEND = os.environ.get("TASKS_BACKEND", "database")
if TASKS_BACKEND == "rq":
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 600}}
    RQ = {"JOB_CLASS": "django_tasks_rq.Job"}  # so `rqworker` runs tasks-API jobs
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
elif TASKS_BACKEND == "immediate":
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
else:
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Outgoing e-mail (the citizen's receipt; later answers and alerts). EMAIL_BACKEND takes
# `smtp`, `file` (one file per message under <data dir>/mail/), `console`, `disabled` or a
# dotted path; by default `file` with DEBUG on (development, the quick start), else `smtp`
# through EMAIL_HOST. `disabled` turns the e-mail option off in the portal.
_EMAIL_BACKENDS = {
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
    "file": "django.core.mail.backends.filebased.EmailBackend",
    "console": "django.core.mail.backends.console.EmailBackend",
    "disabled": "django.core.mail.backends.dummy.EmailBackend",
}
_email_backend = os.environ.get("EMAIL_BACKEND") or ("file" if DEBUG else "smtp")
EMAIL_BACKEND = _EMAIL_BACKENDS.get(_email_backend, _email_backend)
EMAIL_FILE_PATH = DATA_DIR / "mail"
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL")
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "30"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "minsheng@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

SESSION_COOKIE_HTTPONLY = True
# Behind HTTPS in production set SECURE_COOKIES=1; the quickstart serves plain HTTP on loopback.
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES")
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}


# Minsheng's own settings.
def _optional_int(key: str, variable: str) -> dict[str, int]:
    """{key: value} when the environment sets `variable`, else nothing (the code's default)."""
    value = os.environ.get(variable, "").strip()
    return {key: int(value)} if value else {}


_auto_dispatch = os.environ.get("MINSHENG_AUTO_DISPATCH_THRESHOLD", "").strip()
MINSHENG: dict[str, Any] = {
    # Top category probability above which triage dispatches without an operator; empty
    # (the default) means never: every clue waits for intake.
    "AUTO_DISPATCH_THRESHOLD": float(_auto_dispatch) if _auto_dispatch else None,
    # Working days counted when no SLA policy matches a clue.
    "DEFAULT_ACCEPT_DAYS": int(os.environ.get("MINSHENG_DEFAULT_ACCEPT_DAYS", "1")),
    "DEFAULT_HANDLE_DAYS": int(os.environ.get("MINSHENG_DEFAULT_HANDLE_DAYS", "15")),
    "DEFAULT_WARN_DAYS": int(os.environ.get("MINSHENG_DEFAULT_WARN_DAYS", "3")),
    "DEFAULT_EXTENSION_LIMIT_DAYS": int(os.environ.get("MINSHENG_DEFAULT_EXTENSION_DAYS", "15")),
    "DEFAULT_REWORK_DAYS": int(os.environ.get("MINSHENG_DEFAULT_REWORK_DAYS", "5")),
    # Citizen portal: submissions and look-ups allowed per client IP, per phone number.
    "PORTAL_SUBMIT_PER_IP_PER_HOUR": int(os.environ.get("MINSHENG_PORTAL_SUBMIT_PER_IP", "5")),
    "PORTAL_SUBMIT_PER_PHONE_PER_DAY": int(os.environ.get("MINSHENG_PORTAL_SUBMIT_PER_PHONE", "3")),
    "PORTAL_TRACK_PER_IP_PER_HOUR": int(os.environ.get("MINSHENG_PORTAL_TRACK_PER_IP", "20")),
    # A form sent back sooner than this after it was shown is a robot; older, a stale page.
    "PORTAL_FORM_MIN_SECONDS": 3,
    "PORTAL_FORM_MAX_AGE_SECONDS": 24 * 3600,
    # How long a proven code and secret open the clue's page in the same browser session.
    "PORTAL_ACCESS_SECONDS": 30 * 60,
    # How SMS leave: `file` (JSON lines under <data dir>/sms/, the default with DEBUG on),
    # `disabled` (the default otherwise: the portal offers no SMS) or the dotted path of a
    # gateway class (docs/operations.md, "Notifications").
    "SMS_BACKEND": os.environ.get("MINSHENG_SMS_BACKEND") or ("file" if DEBUG else "disabled"),
    # The supervisor boards' "due soon": working days left on the handling deadline (unset:
    # the default warning days above). The department queue uses each SLA policy's own.
    **_optional_int("SUPERVISION_DUE_SOON_DAYS", "MINSHENG_SUPERVISION_DUE_SOON_DAYS"),
    # Working days before the signing deadline from which a pending assignment is due soon.
    "DEPARTMENT_ACCEPT_WARN_DAYS": int(os.environ.get("MINSHENG_DEPARTMENT_ACCEPT_WARN_DAYS", "0")),
}
