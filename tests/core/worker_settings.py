"""Settings for the worker processes tests/core/test_worker.py starts: the test settings,
with a task kind the tests control, a lease of three seconds, and (on SQLite) one second of
waiting for a lock, so that a lock the test holds turns into "database is locked" soon."""

from medvirk.settings.test import *  # noqa: F403
from medvirk.settings.test import DATABASES, INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "tests.core.worker_app"]
MEDVIRK_TASK_LEASE = 3.0
# New dictionaries: the test process imports this module too, for the lease, and must not
# have its own settings changed.
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    options = {**DATABASES["default"]["OPTIONS"], "timeout": 1}
    DATABASES = {**DATABASES, "default": {**DATABASES["default"], "OPTIONS": options}}
