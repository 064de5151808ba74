#!/usr/bin/env python
"""Django's command-line utility for Medvirk."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "medvirk.settings.dev")
    from medvirk.settings.env import ConfigError

    try:
        from django.conf import settings

        settings.INSTALLED_APPS  # noqa: B018 - load settings now, to report a bad value in one line
    except ConfigError as exc:
        sys.exit(f"medvirk: configuration error: {exc}")

    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
