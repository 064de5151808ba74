"""Settings for running Medvirk in production behind a reverse proxy (see docs/operations.md).

`python manage.py check --deploy --settings=medvirk.settings.production` is clean with these.
"""

from . import env
from .base import *  # noqa: F403
from .base import ALLOWED_HOSTS, DEBUG, MIDDLEWARE

if DEBUG:
    raise env.ConfigError("DEBUG: must be false with medvirk.settings.production")
if not ALLOWED_HOSTS:
    raise env.ConfigError(
        "ALLOWED_HOSTS: required in production; a comma-separated list of the host names "
        "Medvirk answers to, e.g. medvirk.drammen.kommune.no"
    )

# TLS ends at the reverse proxy, which tells Django with X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.get_bool("SECURE_SSL_REDIRECT", default=True)
# Prometheus scrapes each machine's gunicorn from inside the network, without TLS, and
# /metrics answers only to its bearer token anyway (docs/operations.md, "Metrics").
SECURE_REDIRECT_EXEMPT = [r"^metrics$"]
SECURE_HSTS_SECONDS = env.get_int("SECURE_HSTS_SECONDS", default=31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.get_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.get_bool("SECURE_HSTS_PRELOAD", default=True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_REFERRER_POLICY = "same-origin"

# Static files are served by WhiteNoise, right after the security middleware.
_after_security = MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1
MIDDLEWARE = [
    *MIDDLEWARE[:_after_security],
    "whitenoise.middleware.WhiteNoiseMiddleware",
    *MIDDLEWARE[_after_security:],
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
