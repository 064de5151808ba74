"""Settings for the test suite (pytest uses these; see pyproject.toml)."""

import os

os.environ.setdefault(
    "SECRET_KEY", "test-only-secret-key-that-is-long-enough-for-hmac-use-0123456789"
)
os.environ["DEBUG"] = "false"

from .base import *  # noqa: F403
from .base import BASE_DIR

ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1", ".test"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = BASE_DIR / "var" / "test-media"
