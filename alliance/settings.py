"""One settings module, driven by environment variables.

Every variable is read through ``alliance.lib.env``; a bad value stops start-up with a message that
names the variable. Variables:

- ``DEBUG``: True or False (default False).
- ``SECRET_KEY``: required when DEBUG is False; a development key is used when DEBUG is True.
- ``ALLOWED_HOSTS``: comma-separated host names (default ``127.0.0.1,localhost``).
- ``DATABASE_URL``: e.g. ``postgres://user@127.0.0.1:5432/alliance``; SQLite in the repository's
  ``var/`` folder when unset.
- ``HTTPS``: True behind TLS: secure cookies and HSTS (default False).
- ``MEDIA_ROOT``: where uploaded evidence files are kept (default ``var/media``).
- ``EMAIL_HOST``: an SMTP server for the workflow's notifications; unset, email is printed to the
  console. With it: ``EMAIL_PORT`` (default 587), ``EMAIL_HOST_USER``, ``EMAIL_HOST_PASSWORD``,
  ``EMAIL_USE_TLS`` (default True) and ``DEFAULT_FROM_EMAIL``.
"""

from __future__ import annotations

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from alliance.lib.env import EnvError, env_bool, env_int, env_list, env_rate, env_str

PACKAGE_DIR = Path(__file__).resolve().parent
BASE_DIR = PACKAGE_DIR.parent


def _fail(exc: Exception) -> ImproperlyConfigured:
    return ImproperlyConfigured(f"Bad environment: {exc}")


try:
    DEBUG = env_bool("DEBUG", False)
    HTTPS = env_bool("HTTPS", False)
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
    # Requests one person may make to the API, through any of their tokens or their session.
    API_RATE = env_rate("API_RATE", "1200/min")
except EnvError as exc:
    raise _fail(exc) from exc

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "Bad environment: SECRET_KEY must be set when DEBUG is False "
            "(set DEBUG=True for local development)"
        )
    SECRET_KEY = "django-insecure-development-only-key-not-for-production"  # noqa: S105

_default_sqlite = f"sqlite:///{BASE_DIR / 'var' / 'alliance.sqlite3'}"
_database_url = env_str("DATABASE_URL") or _default_sqlite
try:
    DATABASES = {"default": dj_database_url.parse(_database_url, conn_max_age=60)}
except Exception as exc:  # dj-database-url raises several types for a bad URL
    raise ImproperlyConfigured(
        f"Bad environment: DATABASE_URL is not a database URL this product understands "
        f"(sqlite:///path or postgres://user@host:port/name): {exc}"
    ) from exc
if DATABASES["default"]["ENGINE"] not in (
    "django.db.backends.sqlite3",
    "django.db.backends.postgresql",
):
    raise ImproperlyConfigured(
        "Bad environment: DATABASE_URL must point at SQLite or PostgreSQL "
        f"(got engine {DATABASES['default']['ENGINE']})"
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "template_partials",
    "alliance.accounts",
    "alliance.registry",
    "alliance.accountability",
    "alliance.designation",
    "alliance.plans",
    "alliance.review",
    "alliance.monitoring",
    "alliance.reports",
    "alliance.audit",
    "alliance.web",
    "alliance.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "alliance.urls"

# The API's pages of rows (limit and offset): 100 by default, 1,000 at most.
NINJA_PAGINATION_PER_PAGE = 100
NINJA_PAGINATION_MAX_LIMIT = 1000
WSGI_APPLICATION = "alliance.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "alliance.web.context.navigation",
            ],
            "builtins": ["template_partials.templatetags.partials"],
        },
    }
]

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "America/New_York"
USE_I18N = False
USE_TZ = True

# Uploaded evidence files: private, served only through the permission-checked evidence view.
MEDIA_ROOT = Path(env_str("MEDIA_ROOT") or BASE_DIR / "var" / "media")
MEDIA_URL = "/media-not-served/"

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATIC_ROOT.mkdir(
    exist_ok=True
)  # `collectstatic` fills it for production; WhiteNoise wants it there
_NODE = BASE_DIR / "node_modules"
# Front-end assets come from the npm registry through package-lock.json (make install); Django
# collects them like any other static files, so nothing third-party is committed.
STATICFILES_DIRS = [
    ("uswds/css", _NODE / "@uswds" / "uswds" / "dist" / "css"),
    ("uswds/fonts", _NODE / "@uswds" / "uswds" / "dist" / "fonts"),
    ("uswds/img", _NODE / "@uswds" / "uswds" / "dist" / "img"),
    ("uswds/js", _NODE / "@uswds" / "uswds" / "dist" / "js"),
    ("vendor/htmx", _NODE / "htmx.org" / "dist"),
    ("vendor/chartjs", _NODE / "chart.js" / "dist"),
]
# Serve straight from the finders, so `alliance demo` works without a collectstatic step.
WHITENOISE_USE_FINDERS = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = 31536000 if HTTPS else 0
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

EMAIL_HOST = env_str("EMAIL_HOST")
try:
    EMAIL_PORT = env_int("EMAIL_PORT", 587)
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
except EnvError as exc:
    raise _fail(exc) from exc
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Alliance Grants <alliance-grants@localhost>")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}

# The bundled public Connecticut data set that `alliance load-registry` reads.
CT_DATA_DIR = PACKAGE_DIR / "data" / "ct"
