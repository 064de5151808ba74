"""Where printed letters wait for their download, and how they leave.

Each print gets a folder in MEDVIRK_LETTERS_DIR named after its task. The PDF (or the ZIP of
numbered batches) is deleted as soon as it has been downloaded, and any folder older than
MEDVIRK_LETTERS_KEEP_HOURS is deleted by the worker's housekeeping, downloaded or not.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path
from typing import Any
from uuid import UUID

from django.conf import settings


def folder(task_id: UUID) -> Path:
    path = Path(settings.MEDVIRK_LETTERS_DIR) / str(task_id)
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def delete_old() -> int:
    """Delete print folders older than the keeping time. Returns how many went."""
    root = Path(settings.MEDVIRK_LETTERS_DIR)
    if not root.is_dir():
        return 0
    cutoff = time.time() - settings.MEDVIRK_LETTERS_KEEP_HOURS * 3600
    gone = 0
    for child in root.iterdir():
        if child.is_dir() and child.stat().st_mtime < cutoff:
            shutil.rmtree(child, ignore_errors=True)
            gone += 1
    return gone


class DeletedOnClose:
    """A file handed to a response that deletes itself once the response is done with it."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.handle = path.open("rb")

    def read(self, size: int = -1) -> bytes:
        return self.handle.read(size)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.handle, name)

    def close(self) -> None:
        self.handle.close()
        self.path.unlink(missing_ok=True)
