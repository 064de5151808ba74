"""Settings for `make run`: DEBUG on unless the environment says otherwise, SQLite in var/."""

import os
from pathlib import Path

from .env import read_dotenv

# .env first, so that DEBUG=false there wins over the development default.
read_dotenv(Path(__file__).resolve().parent.parent.parent / ".env")
os.environ.setdefault("DEBUG", "true")
# The demo is one command: no phone needed to sign in (README says how to turn it on).
os.environ.setdefault("MEDVIRK_TWO_FACTOR_DEFAULT", "false")

from .base import *  # noqa: E402,F403
