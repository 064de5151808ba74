"""Settings shared by every environment. All values from the environment come through ``env``."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import django_stubs_ext
from django.utils.translation import gettext_lazy as _

from medvirk.core import logs, sentry

from . import env

# Lets forms and fields be written with their model, ModelForm[Unit], as mypy wants them:
# Django's own classes cannot be subscripted when the class statement runs.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent.parent
env.read_dotenv(BASE_DIR / ".env")

# Where the embedded database, uploaded files and other run-time data live.
DATA_DIR = Path(env.get_str("MEDVIRK_DATA_DIR") or BASE_DIR / "var")

DEBUG = env.get_bool("DEBUG", default=False)

SECRET_KEY = env.get_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise env.ConfigError(
            "SECRET_KEY: required when DEBUG is off; set it to a random string of "
            "50 or more characters (python -c 'import secrets; print(secrets.token_urlsafe(50))')"
        )
    SECRET_KEY = "django-insecure-development-only-never-use-this-key-in-production"  # noqa: S105

ALLOWED_HOSTS = env.get_list(
    "ALLOWED_HOSTS", default=["127.0.0.1", "localhost", ".localhost"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env.get_list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rules.apps.AutodiscoverRulesConfig",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "csp",
    # Medvirk: one app per module of docs/PRODUCT.md, in the order they are built.
    "medvirk.core",
    "medvirk.organisation",
    "medvirk.surveys",
    "medvirk.letters",
    "medvirk.results",
    "medvirk.councils",
    "medvirk.api",
]

MIDDLEWARE = [
    # Outermost: the request's id is set before anything logs, and the metrics time all
    # that the rest does.
    "medvirk.core.logs.RequestIdMiddleware",
    "medvirk.core.metrics.MetricsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "medvirk.core.middleware.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "medvirk.core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "medvirk.organisation.middleware.MunicipalityMiddleware",
    "medvirk.organisation.middleware.TwoFactorMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into the lock-out page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "medvirk.urls"
WSGI_APPLICATION = "medvirk.wsgi.application"

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
                "medvirk.core.context_processors.layout",
            ],
        },
    },
]
FORM_RENDERER = "medvirk.core.forms.FormRenderer"

DATABASES = {
    "default": env.get_database("DATABASE_URL", default_sqlite_path=DATA_DIR / "medvirk.sqlite3")
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "organisation.User"
AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out sign-in before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "core:dashboard"
LOGOUT_REDIRECT_URL = "core:home"

# Norwegian bokmål first; nynorsk and English selectable. Unknown codes fall back to bokmål.
LANGUAGE_CODE = "nb"
LANGUAGES = [
    ("nb", _("Norwegian Bokmål")),
    ("nn", _("Norwegian Nynorsk")),
    ("en", _("English")),
]
LOCALE_PATHS = [BASE_DIR / "medvirk" / "locale"]
LANGUAGE_COOKIE_NAME = "medvirk_language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
LANGUAGE_COOKIE_SAMESITE = "Lax"
FORMAT_MODULE_PATH = ["medvirk.formats"]
TIME_ZONE = "Europe/Oslo"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
MEDIA_URL = "/media/"
MEDIA_ROOT = DATA_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

SESSION_COOKIE_NAME = "medvirk_session"
SESSION_COOKIE_AGE = 8 * 60 * 60  # one working day
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

# Staff sign-in (see docs/operations.md, "Sign-in"). django-axes counts wrong passwords in the
# database, per account and address together, per address alone (many accounts tried from
# one place) and per account alone (one account tried from many places), each with its own
# limit within the cool-off period; a locked sign-in is refused whatever the password, and
# opens by itself when the period has passed without a new attempt. An account is not
# locked by the count per account alone at an address it has signed in from before
# (MEDVIRK_SIGNIN_KNOWN_DAYS), so that guessing from elsewhere cannot keep its owner out.
# The address is the one medvirk.core.clientip takes (MEDVIRK_CLIENT_IP_HEADER), as for
# survey codes.
MEDVIRK_SIGNIN_FAILURES = env.get_int("MEDVIRK_SIGNIN_FAILURES", default=5, minimum=1)
MEDVIRK_SIGNIN_ADDRESS_FAILURES = env.get_int(
    "MEDVIRK_SIGNIN_ADDRESS_FAILURES", default=30, minimum=1
)
MEDVIRK_SIGNIN_ACCOUNT_FAILURES = env.get_int(
    "MEDVIRK_SIGNIN_ACCOUNT_FAILURES", default=20, minimum=1
)
MEDVIRK_SIGNIN_COOLOFF_MINUTES = env.get_int(
    "MEDVIRK_SIGNIN_COOLOFF_MINUTES", default=15, minimum=1
)
MEDVIRK_SIGNIN_KNOWN_DAYS = env.get_int("MEDVIRK_SIGNIN_KNOWN_DAYS", default=90, minimum=0)
AXES_HANDLER = "medvirk.organisation.signin.SignInThrottle"
AXES_FAILURE_LIMIT = MEDVIRK_SIGNIN_FAILURES
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address", "username"]
AXES_COOLOFF_TIME = timedelta(minutes=MEDVIRK_SIGNIN_COOLOFF_MINUTES)
AXES_CLIENT_IP_CALLABLE = "medvirk.organisation.signin.signin_address"
AXES_USERNAME_CALLABLE = "medvirk.organisation.signin.signin_username"
AXES_LOCKOUT_CALLABLE = "medvirk.organisation.signin_views.locked_out"
AXES_HTTP_RESPONSE_CODE = 429

# Requests each API key may make in one clock minute (medvirk/api/throttle.py, docs/api.md).
MEDVIRK_API_RATE_PER_MINUTE = env.get_int("MEDVIRK_API_RATE_PER_MINUTE", default=120, minimum=1)
# Axes keeps its own log of each successful sign-in (address, browser); the known addresses
# above come from it. `manage.py axes_reset_logs --age 90` trims it (docs/operations.md).
AXES_SENSITIVE_PARAMETERS = ["password", "otp_token", "code"]
# Axes's log lines name the attempt without the username or the address.
AXES_CLIENT_STR_CALLABLE = "medvirk.organisation.signin.client_for_log"

# Two-factor sign-in (TOTP with django-otp). Each municipality says whether its system
# administrators and quality advisers must use it (Municipality.two_factor_required); this is
# the value a new municipality starts with, and the one the migration that added the setting
# gave the municipalities that existed then. On unless the environment says otherwise; the
# development settings (make run) turn it off.
MEDVIRK_TWO_FACTOR_DEFAULT = env.get_bool("MEDVIRK_TWO_FACTOR_DEFAULT", default=True)
# The name an authenticator app shows next to the code.
OTP_TOTP_ISSUER = env.get_str("MEDVIRK_TWO_FACTOR_ISSUER", default="Medvirk")

# Staff single sign-on through OpenID Connect, one provider per municipality, from the
# MEDVIRK_OIDC_<SLUG>_* variables (docs/configuration.md, docs/operations.md).
MEDVIRK_OIDC = env.get_oidc_providers()

# Content-Security-Policy on every response (django-csp). Nothing inline runs or styles a
# page except the brand colour's one rule, allowed by its hash (medvirk.core.middleware).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        # data: for the letter preview (a PNG in the page) and the empty favicon.
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Which municipality a request belongs to when its host name matches none (see
# medvirk.organisation.middleware). Empty: the only one, if there is exactly one.
MEDVIRK_DEFAULT_MUNICIPALITY = env.get_str("MEDVIRK_DEFAULT_MUNICIPALITY")

# Survey access codes (see docs/surveys.md). Each round's codes come from its own key, a
# file in MEDVIRK_KEY_DIR that is destroyed when the round is purged (docs/operations.md).
# The secret keys the throttle's client hashes, and derives the 8-character codes of rounds
# made before round keys. Empty: derived from SECRET_KEY.
MEDVIRK_KEY_DIR = Path(env.get_str("MEDVIRK_KEY_DIR") or DATA_DIR / "keys")
MEDVIRK_CODE_SECRET = env.get_str("MEDVIRK_CODE_SECRET")
# Wrong codes allowed per client and per municipality, each per time window (seconds); and
# how long one wrong code marks its client (while the municipality's budget is used up,
# only marked clients wait).
MEDVIRK_CODE_CLIENT_FAILURES = env.get_int("MEDVIRK_CODE_CLIENT_FAILURES", default=10)
MEDVIRK_CODE_CLIENT_WINDOW = env.get_int("MEDVIRK_CODE_CLIENT_WINDOW", default=600)
MEDVIRK_CODE_MUNICIPALITY_FAILURES = env.get_int("MEDVIRK_CODE_MUNICIPALITY_FAILURES", default=300)
MEDVIRK_CODE_MUNICIPALITY_WINDOW = env.get_int("MEDVIRK_CODE_MUNICIPALITY_WINDOW", default=3600)
MEDVIRK_CODE_FAILURE_MEMORY = env.get_int("MEDVIRK_CODE_FAILURE_MEMORY", default=86400)
# An answering session ends after this many minutes without a page (a shared tablet).
MEDVIRK_ANSWER_IDLE_MINUTES = env.get_int("MEDVIRK_ANSWER_IDLE_MINUTES", default=30)
# The request header that holds the client's address behind a reverse proxy, as Django
# names it (e.g. HTTP_X_REAL_IP). Empty: REMOTE_ADDR, right without a proxy.
MEDVIRK_CLIENT_IP_HEADER = env.get_str("MEDVIRK_CLIENT_IP_HEADER")

# Letters (see docs/letters.md). The web address letters print when a municipality has none
# of its own, e.g. medvirk.drammen.kommune.no; where printed letters wait to be downloaded
# (deleted on download, or after MEDVIRK_LETTERS_KEEP_HOURS).
MEDVIRK_PUBLIC_HOST = env.get_str("MEDVIRK_PUBLIC_HOST", default="127.0.0.1:8000" if DEBUG else "")
MEDVIRK_LETTERS_DIR = Path(env.get_str("MEDVIRK_LETTERS_DIR") or DATA_DIR / "letters")
MEDVIRK_LETTERS_KEEP_HOURS = env.get_int("MEDVIRK_LETTERS_KEEP_HOURS", default=24)

# E-mail (council notices and minutes). Without EMAIL_BACKEND, mail is written to the
# console, since a development machine seldom has a mail server.
EMAIL_BACKEND = env.get_str(
    "EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend"
)
EMAIL_HOST = env.get_str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.get_int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.get_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env.get_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env.get_bool("EMAIL_USE_TLS", default=False)
# Seconds the worker waits for the mail server before it records the message as not sent
# (Django's default is to wait for ever).
EMAIL_TIMEOUT = env.get_int("EMAIL_TIMEOUT", default=30, minimum=1)
DEFAULT_FROM_EMAIL = env.get_str("DEFAULT_FROM_EMAIL", default="medvirk@localhost")

# The public results pages are cached per process (see results/public_views.py); enough
# entries for several municipalities, rounds, groups and languages.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "OPTIONS": {"MAX_ENTRIES": 20_000},
    }
}

# /metrics answers only to this bearer token; empty turns it off (medvirk/core/metrics.py).
MEDVIRK_METRICS_TOKEN = env.get_str("MEDVIRK_METRICS_TOKEN")

# Error reports to Sentry, scrubbed of personal data (medvirk/core/sentry.py); off unless
# SENTRY_DSN is set. Here, not in production.py, so that the worker reports too.
SENTRY_DSN = env.get_str("SENTRY_DSN")
if SENTRY_DSN:
    sentry.start(dsn=SENTRY_DSN, environment=env.get_str("SENTRY_ENVIRONMENT", "production"))

LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
LOG_FORMATS = ("PLAIN", "JSON")
# Standard error, in plain text or as JSON lines; every line of a request names it, and
# no line holds a query string (medvirk/core/logs.py, docs/operations.md "Logs").
LOGGING = logs.logging_config(
    level=env.get_choice("LOG_LEVEL", LOG_LEVELS, default="INFO"),
    json=env.get_choice("MEDVIRK_LOG_FORMAT", LOG_FORMATS, default="PLAIN") == "JSON",
)
