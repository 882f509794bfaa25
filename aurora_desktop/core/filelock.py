"""An exclusive lock on a file, shared between processes (fcntl on POSIX, msvcrt on Windows)."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from types import TracebackType

from aurora_desktop.core.errors import AuroraError, ConfigError
from aurora_desktop.core.text import phrase

MODEL_STORE = phrase("the model store")
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)

if sys.platform == "win32":
    import msvcrt
else:
    import fcntl


class FileLock:
    """`with FileLock(path):` — blocks up to `timeout` seconds, then raises `AuroraError`."""

    def __init__(self, path: Path, *, timeout: float = 60.0, what: str = MODEL_STORE) -> None:
        self._path = path
        self._timeout = timeout
        self._what = what
        self._fd: int | None = None

    def __enter__(self) -> FileLock:
        try:
            self._path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self._path, os.O_RDWR | os.O_CREAT | _NOFOLLOW, 0o600)
        except OSError as exc:
            raise ConfigError(
                phrase(
                    "The lock file {path} cannot be opened ({exc}); remove it and retry.",
                    path=self._path,
                    exc=exc.strerror,
                )
            ) from exc
        deadline = time.monotonic() + self._timeout
        while True:
            try:
                _lock(fd)
                break
            except OSError:
                if time.monotonic() > deadline:
                    os.close(fd)
                    raise AuroraError(
                        phrase(
                            "Another Aurora process is still changing {what}; wait for it to "
                            "finish and retry.",
                            what=self._what,
                        )
                    ) from None
                time.sleep(0.05)
        self._fd = fd
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._fd is not None:
            _unlock(self._fd)
            os.close(self._fd)
            self._fd = None


def _lock(fd: int) -> None:
    if sys.platform == "win32":
        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
    else:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)


def _unlock(fd: int) -> None:
    if sys.platform == "win32":
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
    else:
        fcntl.flock(fd, fcntl.LOCK_UN)
