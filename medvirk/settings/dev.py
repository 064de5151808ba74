"""Settings for `make run`: DEBUG on unless the environment says otherwise, SQLite in var/."""

import os
from pathlib import Path

from .env import read_dotenv

# .env first, so that DEBUG=false there wins over the development default.
read_dotenv(Path(__file__).resolve().parent.parent.parent / ".env")
os.environ.setdefault("DEBUG", "true")

from .base import *  # noqa: E402,F403
