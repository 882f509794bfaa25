"""A hashing file writer that never grows past the declared size: where fetched bytes land."""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
import threading
from pathlib import Path
from typing import IO, BinaryIO

from aurora_desktop.core.atomic import fsync_dir
from aurora_desktop.core.errors import CancelledError, IntegrityError, ModelFetchError
from aurora_desktop.core.models.progress import FetchProgress, ProgressCallback
from aurora_desktop.core.text import phrase

CHUNK = 1 << 20


def check_cancel(cancel: threading.Event | None, what: str) -> None:
    if cancel is not None and cancel.is_set():
        raise CancelledError(phrase("{what} was cancelled.", what=what))


class CappedSink:
    """Bytes written here are hashed and counted; one byte beyond `size` is refused."""

    def __init__(
        self,
        path: Path,
        handle: BinaryIO,
        *,
        size: int,
        name: str,
        done: int = 0,
        digest: hashlib._Hash | None = None,
    ) -> None:
        self.path = path
        self.size = size
        self.name = name
        self.done = done
        self._handle = handle
        self._digest = digest or hashlib.sha256()

    @classmethod
    def temporary(cls, dest: Path, *, size: int) -> CappedSink:
        """A fresh hidden temp file beside `dest` (same folder, so the final move is atomic)."""
        dest.parent.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".part", dir=dest.parent)
        return cls(Path(name), os.fdopen(fd, "wb"), size=size, name=dest.name)

    def reserve(self, count: int) -> None:
        """Refuse now if `count` more bytes would pass the declared size."""
        if count > self.size - self.done:
            raise IntegrityError(
                phrase(
                    "The source of {name} sent more bytes than the {size} declared; "
                    "it was not installed, so check where the model comes from.",
                    name=self.name,
                    size=format(self.size, ","),
                )
            )

    def write(self, chunk: bytes) -> None:
        self.reserve(len(chunk))
        try:
            self._handle.write(chunk)
        except OSError as exc:
            raise ModelFetchError(
                phrase(
                    "Could not write {path} ({exc}); free some disk space and try again.",
                    path=self.path,
                    exc=exc.strerror,
                )
            ) from exc
        self._digest.update(chunk)
        self.done += len(chunk)

    def restart(self) -> None:
        """Forget every byte so far (the source is starting over from the first byte)."""
        self._handle.seek(0)
        self._handle.truncate(0)
        self._digest = hashlib.sha256()
        self.done = 0

    def commit(self, dest: Path, sha256: str) -> Path:
        """Move the file onto `dest` if it is complete and its sha256 matches; else refuse."""
        if self.done != self.size:
            raise IntegrityError(
                phrase(
                    "The source of {name} ended after {done} of {size} bytes; it was "
                    "not installed, so check where the model comes from.",
                    name=self.name,
                    done=format(self.done, ","),
                    size=format(self.size, ","),
                )
            )
        actual = self._digest.hexdigest()
        if actual != sha256:
            raise IntegrityError(
                phrase(
                    "{name} failed its integrity check (sha256 {actual_16}…, expected "
                    "{sha256_16}…); it was not installed.",
                    name=self.name,
                    actual_16=actual[:16],
                    sha256_16=sha256[:16],
                )
            )
        self._handle.flush()
        os.fsync(self._handle.fileno())
        self._handle.close()
        os.replace(self.path, dest)
        fsync_dir(dest.parent)
        return dest

    def close(self) -> None:
        self._handle.close()

    def discard(self) -> None:
        self._handle.close()
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()


def pump(
    stream: IO[bytes],
    sink: CappedSink,
    phase: str,
    progress: ProgressCallback,
    cancel: threading.Event | None,
) -> None:
    """Copy `stream` into `sink` chunk by chunk, reporting progress and honouring `cancel`."""
    while chunk := stream.read(CHUNK):
        check_cancel(cancel, phrase("Fetching {sink_name}", sink_name=sink.name))
        sink.write(chunk)
        progress(FetchProgress(phase, sink.name, sink.done, sink.size))
