"""WSGI entry point for gunicorn: ``gunicorn medvirk.wsgi`` (production settings by default)."""

import os
import sys

from django.core.wsgi import get_wsgi_application

from medvirk.settings.env import ConfigError

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "medvirk.settings.production")

try:
    application = get_wsgi_application()
except ConfigError as exc:
    sys.exit(f"medvirk: configuration error: {exc}")
