"""Settings for benchmarks: the production settings, reached over plain HTTP on localhost.

In production TLS ends at the reverse proxy; here the load generator talks to gunicorn
directly, so cookies may not be marked secure and nothing redirects to HTTPS. Static files
are served uncompressed (no collectstatic step for a throwaway database).
"""

import os
from pathlib import Path

os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-0123456789-0123456789-0123456789")
# The throwaway databases' survey round keys, apart from the development database's: round
# numbers start again in every one of them.
os.environ.setdefault(
    "MEDVIRK_KEY_DIR", str(Path(__file__).resolve().parent.parent / "var" / "bench-keys")
)

from medvirk.settings.production import *  # noqa: F403

SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# The load generator's requests would flood the console.
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "ERROR"}}
