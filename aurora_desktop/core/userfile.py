"""One safe way to change a user-owned file: lock, read (bounded), validate, modify, replace.

Every read-modify-write of a JSON file in the data folder (consents, providers, settings,
the router policy, label sets, the model manifest) goes through `locked_update`, so two
Aurora processes changing the same file never lose each other's change, and a kill at any
instant leaves either the old or the new file (atomic replace). Reads refuse anything but a
regular file (a FIFO, a device or a link placed where a data file belongs) and never read
more than `limit` bytes, whatever `st_size` says. Files the user names (a key, a schema,
a document to ingest) are read through `read_named_bytes`: links followed, the same limits.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from aurora_desktop.core.atomic import atomic_write_text
from aurora_desktop.core.errors import AuroraError, ConfigError
from aurora_desktop.core.filelock import FileLock
from aurora_desktop.core.text import phrase

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
                phrase(
                    "{name} is a link, not a file Aurora wrote; remove the link and retry.",
                    name=name,
                )
            ) from exc
        raise ConfigError(
            phrase("{name} cannot be read ({exc}).", name=name, exc=exc.strerror)
        ) from exc
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise ConfigError(
                phrase("{name} is not a regular file; remove it and retry.", name=name)
            )
        data = _read_at_most(fd, limit)
        if data is None:
            raise ConfigError(
                phrase(
                    "{name} is larger than {limit} bytes; it is not a file Aurora wrote.",
                    name=name,
                    limit=format(limit, ","),
                )
            )
        return data
    except OSError as exc:
        raise ConfigError(
            phrase("{name} cannot be read ({exc}).", name=name, exc=exc.strerror)
        ) from exc
    finally:
        os.close(fd)


def read_named_bytes(
    path: Path,
    *,
    limit: int = DEFAULT_LIMIT,
    what: str = "",
    error: type[AuroraError] = ConfigError,
) -> bytes:
    """The bytes of a file the user named (a key, a schema); raises `error` with a sentence.

    Links are followed (the user chose the path), but what is opened must be a regular
    file: a FIFO, device, socket or folder is refused without blocking, and more than
    `limit` bytes is refused, whatever `st_size` claims.
    """
    name = what or str(path)
    try:
        data = read_regular_at_most(path, limit)
    except NotRegularFile as exc:
        raise error(f"{name} is {exc.kind}, not a regular file; give the path of a file.") from exc
    except OSError as exc:
        raise error(f"{name} cannot be read ({exc.strerror or type(exc).__name__}).") from exc
    if data is None:
        raise error(f"{name} is too large (more than {limit:,} bytes); give a smaller file.")
    return data


class NotRegularFile(OSError):
    """What was opened is a named pipe, device, socket or folder (`kind` says which)."""

    def __init__(self, kind: str) -> None:
        super().__init__(errno.EINVAL, f"{kind}, not a regular file")
        self.kind = kind


def read_regular_at_most(path: Path, limit: int) -> bytes | None:
    """At most `limit` bytes of the regular file at `path` (links followed); None if longer.

    Raises `NotRegularFile` for anything but a regular file (opened without blocking, so a
    named pipe never stalls), and `OSError` when it cannot be opened or read.
    """
    fd = os.open(path, os.O_RDONLY | _NONBLOCK | _BINARY)
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise NotRegularFile(_kind(mode))
        return _read_at_most(fd, limit)
    finally:
        os.close(fd)


def is_regular_file(path: Path) -> bool:
    """Whether `path` itself (not a link's target) is a regular file; never opens it."""
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except OSError:
        return False


def _read_at_most(fd: int, limit: int) -> bytes | None:
    """Up to `limit` bytes from `fd`; None when there are more."""
    chunks: list[bytes] = []
    total = 0
    while True:
        chunk = os.read(fd, min(1 << 20, limit + 1 - total))
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
        total += len(chunk)
        if total > limit:
            return None


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a special file"


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
