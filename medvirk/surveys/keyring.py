"""Round keys on disk: one file per round in MEDVIRK_KEY_DIR, never in the database.

A key lives outside the database so that no copy of the database — a dump, a physical
backup, the WAL — holds it: such a copy alone cannot link a recipient to an access code, a
draft or a response (docs/threat-model.md). The database keeps only each key's fingerprint,
to tell a missing or wrong file at once with a clear error. A key is created with its round
and destroyed when the round is purged; after that nobody can link the round's rows again,
not even with an old copy of the database and the installation's secrets.

Web processes and the worker read the same directory. Files are written atomically (a new
file renamed into place) and readable only by the service user.
"""

from __future__ import annotations

import logging
import os
import threading
from pathlib import Path

from django.conf import settings

from . import roundkey

logger = logging.getLogger(__name__)


class KeyProblem(Exception):
    """A round's key file is missing or is not the round's key."""

    def __init__(self, round_pk: int, message: str) -> None:
        super().__init__(message)
        self.round_pk = round_pk


def key_dir() -> Path:
    return Path(settings.MEDVIRK_KEY_DIR)


def path_for(round_pk: int) -> Path:
    return key_dir() / f"round-{round_pk}.key"


def _ensure_dir() -> Path:
    folder = key_dir()
    if not folder.is_dir():
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        folder.chmod(0o700)
    return folder


def _sync_dir(folder: Path) -> None:
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def create(round_pk: int) -> tuple[bytes, str]:
    """A new key for a round, written to its file; returns the key and its fingerprint.

    A file left for the same number (by a round whose creation was rolled back, or one
    that is no longer in a restored database) is replaced.
    """
    key = roundkey.new_key()
    folder = _ensure_dir()
    target = path_for(round_pk)
    partial = folder / f".{target.name}.{os.getpid()}.{threading.get_ident()}.part"
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.write(descriptor, f"medvirk-round-key-v1 {key.hex()}\n".encode())
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
    os.replace(partial, target)
    _sync_dir(folder)
    return key, roundkey.fingerprint(key)


def _read(path: Path) -> bytes:
    words = path.read_text().split()
    if len(words) != 2 or words[0] != "medvirk-round-key-v1":
        raise ValueError("not a Medvirk round key")
    return bytes.fromhex(words[1])


def load(round_pk: int, fingerprint: str) -> bytes:
    """The round's key, checked against the fingerprint the database keeps.

    Read from its file every time, never kept in memory: once a purge has destroyed the
    file, no process can use the key again (a small file in the page cache reads in
    microseconds).
    """
    path = path_for(round_pk)
    if not fingerprint:
        raise KeyProblem(round_pk, f"round {round_pk} has no key (its recipients are purged)")
    try:
        key = _read(path)
    except FileNotFoundError:
        raise KeyProblem(
            round_pk,
            f"the key of survey round {round_pk} is missing: {path} does not exist "
            "(MEDVIRK_KEY_DIR; restore it from the key backup, see docs/operations.md)",
        ) from None
    except (OSError, ValueError) as exc:
        raise KeyProblem(round_pk, f"the key file {path} cannot be read: {exc}") from None
    if roundkey.fingerprint(key) != fingerprint:
        raise KeyProblem(
            round_pk,
            f"{path} is not the key of survey round {round_pk} (its fingerprint differs); "
            "is MEDVIRK_KEY_DIR the directory this database was made with?",
        )
    return key


def destroy(round_pk: int) -> None:
    """Overwrite and delete a round's key file. There is no way back, on purpose.

    Overwriting first means a plain file system keeps no copy in the freed blocks; a
    copy-on-write or journalling file system or an SSD may still, which is why the key
    directory belongs on an encrypted disk (docs/operations.md).
    """
    path = path_for(round_pk)
    try:
        size = path.stat().st_size
        with path.open("r+b") as handle:
            handle.write(b"\0" * size)
            handle.flush()
            os.fsync(handle.fileno())
        path.unlink()
    except FileNotFoundError:
        return
    _sync_dir(path.parent)
    logger.info("destroyed the key of survey round %s", round_pk)


def files() -> dict[int, Path]:
    """The key files in the directory, by round number."""
    folder = key_dir()
    if not folder.is_dir():
        return {}
    found = {}
    for path in folder.glob("round-*.key"):
        number = path.name.removeprefix("round-").removesuffix(".key")
        if number.isdigit():
            found[int(number)] = path
    return found
