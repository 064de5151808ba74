"""A task kind for the worker processes tests/core/test_worker.py starts (see worker_settings)."""
