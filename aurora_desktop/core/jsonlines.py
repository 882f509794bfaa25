"""Append-only JSON-lines files, fsynced per record; a torn last line is skipped on read.

Appends never follow a link: the file is opened with `O_NOFOLLOW` (on Windows, which has
no such flag, a link or reparse point is refused after `lstat`), so a ledger replaced by a
link cannot make Aurora write into the file it points to.
"""

from __future__ import annotations

import errno
import json
import os
import stat
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from aurora_desktop.core.errors import ConfigError
from aurora_desktop.core.text import phrase

MAX_LINE = 65_536
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_BINARY = getattr(os, "O_BINARY", 0)
_REPARSE_POINT = 0x400  # FILE_ATTRIBUTE_REPARSE_POINT


def _lstat_or_none(path: Path) -> os.stat_result | None:
    try:
        return os.lstat(path)
    except FileNotFoundError:
        return None


def open_for_append(path: Path) -> int:
    """A descriptor appending to the regular file `path` (created if missing); never a link."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if not _NOFOLLOW:  # Windows: refuse a link or reparse point before opening
        info = _lstat_or_none(path)
        if info is not None and (
            stat.S_ISLNK(info.st_mode) or getattr(info, "st_file_attributes", 0) & _REPARSE_POINT
        ):
            raise _link(path)
    flags = os.O_WRONLY | os.O_CREAT | os.O_APPEND | _NOFOLLOW | _NONBLOCK | _BINARY
    try:
        fd = os.open(path, flags, 0o600)
    except OSError as exc:
        if exc.errno in (errno.ELOOP, errno.EMLINK):
            raise _link(path) from exc
        raise _unwritable(path, exc) from exc
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise ConfigError(
            phrase("{path} is not a regular file; move it away and retry.", path=path)
        )
    return fd


def check_appendable(path: Path) -> None:
    """Raise `ConfigError` now if a record could not be appended to `path`."""
    os.close(open_for_append(path))


def append_record(path: Path, record: Mapping[str, Any]) -> None:
    line = (json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n").encode()
    fd = open_for_append(path)
    try:
        os.write(fd, line)
        os.fsync(fd)
    except OSError as exc:
        raise _unwritable(path, exc) from exc
    finally:
        os.close(fd)


def read_records(path: Path) -> Iterator[dict[str, Any]]:
    try:
        handle = path.open(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return
    with handle:
        for line in handle:
            if len(line) > MAX_LINE:
                continue
            try:
                record = json.loads(line)
            except ValueError:
                continue
            if isinstance(record, dict):
                yield record


def _link(path: Path) -> ConfigError:
    return ConfigError(
        phrase(
            "{path} is a link, not the file Aurora writes; remove the link and retry.", path=path
        )
    )


def _unwritable(path: Path, exc: OSError) -> ConfigError:
    reason = exc.strerror or type(exc).__name__
    return ConfigError(
        phrase(
            "Aurora cannot write to {path} ({reason}); check that file and retry.",
            path=path,
            reason=reason,
        )
    )
