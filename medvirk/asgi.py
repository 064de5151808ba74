"""ASGI entry point for uvicorn: ``uvicorn medvirk.asgi:application`` (production settings)."""

import os
import sys

from django.core.asgi import get_asgi_application

from medvirk.settings.env import ConfigError

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "medvirk.settings.production")

try:
    application = get_asgi_application()
except ConfigError as exc:
    sys.exit(f"medvirk: configuration error: {exc}")
