"""Settings for Assess your trust's sustainability.

One file, driven by the environment. The defaults make `make run` work on a laptop
(SQLite, console email); production must say what it needs, and a missing value that
production cannot do without raises ImproperlyConfigured at start-up instead of failing
later. Values may also come from a `.env` file in the project root (see `.env.example`);
real environment variables win over it. This is the only module that reads the
environment.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from dotenv import load_dotenv

BASE_DIR = Path(__file__).resolve().parent.parent

load_dotenv(BASE_DIR / ".env", override=False)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    truthy = {"1", "true", "yes", "on"}
    falsy = {"0", "false", "no", "off"}
    lowered = value.strip().lower()
    if lowered in truthy:
        return True
    if lowered in falsy:
        return False
    raise ImproperlyConfigured(f"{name} must be one of {sorted(truthy | falsy)}, not {value!r}.")


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError as error:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from error


DEBUG = env_bool("DJANGO_DEBUG", default=False)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "Set DJANGO_SECRET_KEY (a long random string) or, on a laptop, DJANGO_DEBUG=1."
        )
    SECRET_KEY = "insecure-development-key-only-for-local-use-with-debug-on"  # noqa: S105

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured(
        "Set DJANGO_ALLOWED_HOSTS to the comma-separated host names the site is served on."
    )
# Debug shows tracebacks with answer text and turns off HTTPS, secure cookies and HSTS: it is
# for a laptop only. `.env.example` turns it on, so an operator who copies that file and sets
# only a production host name would otherwise serve the site with it on.
LOCAL_HOSTS = {"localhost", "127.0.0.1", "[::1]", "::1", "testserver"}
_served_on = [
    host
    for host in ALLOWED_HOSTS
    if host.lstrip(".") not in LOCAL_HOSTS and not host.lstrip(".").endswith(".localhost")
]
if DEBUG and _served_on:
    raise ImproperlyConfigured(
        f"DJANGO_DEBUG is on but DJANGO_ALLOWED_HOSTS names {', '.join(_served_on)}. Debug is "
        "for a laptop only: set DJANGO_DEBUG=0 (in the environment or in .env) to serve the "
        "site on that host, or list only local hosts (localhost, 127.0.0.1) to develop."
    )
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "crispy_forms",
    "simple_history",
    "axes",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_tasks",
    "django_tasks_db",
    "assessment",
    "models_catalogue",
    "systems",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "assessment.middleware.SessionTimingMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "assessment.middleware.TwoFactorMiddleware",
    "assessment.middleware.PrivatePagesMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks, so that it sees every sign-in attempt.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    # Refuses a username and address pair after repeated failures, then hands on.
    "axes.backends.AxesStandaloneBackend",
    # Django's own, loading the user with their two-factor facts in the same query.
    "assessment.backends.UserBackend",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "assessment.context_processors.service",
            ],
        },
    },
]

# Databases: SQLite in the project directory unless DATABASE_URL names another.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # Several requests can write at once (an answer saved as it changes, beside a page
    # save). Immediate transactions wait their turn instead of failing with "database is
    # locked", and write-ahead logging lets reads carry on during a write.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Sessions end after a spell of inactivity (the page warns two minutes ahead and lets the
# member stay signed in). Activity moves the expiry on at most once a minute, see
# assessment.middleware.SessionActivityMiddleware.
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_MINUTES", 30) * 60
# Sessions live in the database, so every instance behind the proxy sees the same ones
# (a per-process cache in front of them would let a signed-out session live on elsewhere).
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_ACTIVITY_GRANULARITY = 60
# Whatever the activity, a session ends this long after signing in.
SESSION_ABSOLUTE_SECONDS = env_int("SESSION_ABSOLUTE_HOURS", 12) * 3600
SESSION_WARNING_SECONDS = 120

# Lockout (django-axes): five wrong passwords for one username from one address pause
# that pair for an hour; other users, and the same user elsewhere, are not affected.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
# Behind a proxy every request comes from the proxy's address: lockout must count the
# client's, read from X-Forwarded-For, and only as far as the trusted proxies wrote it
# (see assessment.security.client_ip). 0 means no proxy: the header is ignored.
TRUSTED_PROXY_COUNT = env_int("DJANGO_PROXY_COUNT", 0)
AXES_CLIENT_IP_CALLABLE = "assessment.security.client_ip"
# Axes records the form of a failed attempt; these fields are masked in that record.
AXES_SENSITIVE_PARAMETERS = ["old_password", "new_password1", "new_password2", "code", "owner"]
AXES_VERBOSE = False

# Two-factor authentication (django-otp): the issuer shown in authenticator apps. Staff see
# that a user has a device in the admin, never its secret or backup codes.
OTP_TOTP_ISSUER = "Assess your trust's sustainability"
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "config.storage.StaticStorage"
        )
    },
}
# Without a collectstatic step (laptop, tests) WhiteNoise serves straight from the finders.
WHITENOISE_USE_FINDERS = env_bool("WHITENOISE_USE_FINDERS", default=DEBUG)

# History is an audit trail: published versions are immutable, so nothing is reverted.
SIMPLE_HISTORY_REVERT_DISABLED = True

CRISPY_ALLOWED_TEMPLATE_PACKS = ("nhsuk",)
CRISPY_TEMPLATE_PACK = "nhsuk"
CRISPY_FAIL_SILENTLY = not DEBUG

# Email: printed to the console unless an SMTP host is given.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int("EMAIL_PORT", 587)
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=True)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = os.environ.get(
    "DEFAULT_FROM_EMAIL", "Assess your trust's sustainability <no-reply@localhost>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Background tasks (django-tasks, the backport of Django 6's django.tasks): email is queued in
# the database and sent by a worker, `manage.py db_worker`, which `make run` starts beside the
# web server and production runs as its own process. No other service is needed. Setting
# TASKS_BACKEND=django_tasks.backends.immediate.ImmediateBackend runs each task in the
# request instead (the test suite does so unless a test asks for the queue).
TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}
# Reminders go to members who have not finished this many days before the response deadline,
# and again on the day, at this hour (in TIME_ZONE).
REMINDER_DAYS_BEFORE = env_int("REMINDER_DAYS_BEFORE", 3)
REMINDER_HOUR = env_int("REMINDER_HOUR", 9)
# Email that the SMTP server refuses, or cannot be reached for, is tried again after 1, 2, 4,
# 8 ... minutes (never more than MAIL_RETRY_MAX_MINUTES apart), MAIL_RETRY_ATTEMPTS times in
# all (about eight hours), then logged as failed.
MAIL_RETRY_ATTEMPTS = env_int("MAIL_RETRY_ATTEMPTS", 14)
MAIL_RETRY_FIRST_SECONDS = env_int("MAIL_RETRY_FIRST_SECONDS", 60)
MAIL_RETRY_MAX_MINUTES = env_int("MAIL_RETRY_MAX_MINUTES", 60)
# Emails sent by the worker, outside any request, link to the service at this address.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000" if DEBUG else "").rstrip("/")

# Security. Production (DEBUG off) gets the strict values; a laptop on plain HTTP does not.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = 0 if DEBUG else 60 * 60 * 24 * 365
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
# Preload asks browsers to use HTTPS before the first visit; switch off only for a domain
# that cannot commit to HTTPS on every subdomain.
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", default=not DEBUG)
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

# Content Security Policy (django-csp): only this site's own scripts, styles, images and
# fonts; no inline script or style anywhere; no plugins, no <base>, no framing.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {
        # Security events: sign-in, failures, lockouts, refusals. Never answer text.
        "assessment.security": {"level": "INFO"},
        # django-axes logs usernames as typed; its warnings (lockouts) are kept, and every
        # sign-in and failure is logged above with the username quoted.
        "axes": {"level": "WARNING"},
        # Email delivery: each failure and retry, never the message body.
        "assessment.mail": {"level": "INFO"},
    },
}

SERVICE_PHASE = os.environ.get("SERVICE_PHASE", "Beta")
