"""One safe way to change a user-owned file: lock, read (bounded), validate, modify, replace.

Every read-modify-write of a JSON file in the data folder (consents, providers, settings,
the router policy, label sets, the model manifest) goes through `locked_update`, so two
Aurora processes changing the same file never lose each other's change, and a kill at any
instant leaves either the old or the new file (atomic replace). Reads refuse anything but a
regular file (a FIFO, a device or a link placed where a data file belongs) and never read
more than `limit` bytes, whatever `st_size` says.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from aurora_desktop.core.atomic import atomic_write_text
from aurora_desktop.core.errors import ConfigError
from aurora_desktop.core.filelock import FileLock

T = TypeVar("T")

DEFAULT_LIMIT = 4_000_000
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_BINARY = getattr(os, "O_BINARY", 0)


def lock_path(path: Path) -> Path:
    """The lock file guarding `path` (hidden, beside it)."""
    return path.parent / f".{path.name}.lock"


def read_user_bytes(path: Path, *, limit: int = DEFAULT_LIMIT, what: str = "") -> bytes | None:
    """The bytes of the regular file `path` (None if it does not exist); raises `ConfigError`.

    A symbolic link, FIFO, device or folder in its place is refused, and more than `limit`
    bytes is refused, whatever `st_size` claims.
    """
    name = what or str(path)
    try:
        fd = os.open(path, os.O_RDONLY | _NOFOLLOW | _NONBLOCK | _BINARY)
    except FileNotFoundError:
        return None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise ConfigError(
                f"{name} is a link, not a file Aurora wrote; remove the link and retry."
            ) from exc
        raise ConfigError(f"{name} cannot be read ({exc.strerror}).") from exc
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise ConfigError(f"{name} is not a regular file; remove it and retry.")
        chunks: list[bytes] = []
        total = 0
        while True:
            chunk = os.read(fd, min(1 << 20, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            if total > limit:
                raise ConfigError(
                    f"{name} is larger than {limit:,} bytes; it is not a file Aurora wrote."
                )
        return b"".join(chunks)
    except OSError as exc:
        raise ConfigError(f"{name} cannot be read ({exc.strerror}).") from exc
    finally:
        os.close(fd)


def locked_update(
    path: Path,
    change: Callable[[T], T],
    *,
    load: Callable[[bytes | None], T],
    dump: Callable[[T], str],
    limit: int = DEFAULT_LIMIT,
    what: str = "",
) -> T:
    """Under an inter-process lock: read `path`, `load` it (validating; None when missing),
    apply `change`, and replace the file atomically with `dump` of the result."""
    with FileLock(lock_path(path), timeout=30.0, what=what or path.name):
        current = load(read_user_bytes(path, limit=limit, what=what))
        updated = change(current)
        atomic_write_text(path, dump(updated))
        return updated
