"""Checks that a version folder holds exactly the signed files, byte for byte."""

from __future__ import annotations

import threading
from pathlib import Path

from aurora_desktop.core.errors import IntegrityError
from aurora_desktop.core.models.fetch import FetchProgress, ProgressCallback, sha256_file
from aurora_desktop.core.models.manifest import ModelEntry
from aurora_desktop.core.models.progress import no_progress
from aurora_desktop.core.text import phrase


def file_stat(path: Path) -> tuple[int, int, int]:
    """Size, mtime (ns) and inode: what the stat cache compares between full checks."""
    st = path.stat()
    return st.st_size, st.st_mtime_ns, st.st_ino


class _Throttled:
    """Passes about 50 progress updates per file (at most one per 16 MB) to `progress`."""

    def __init__(self, progress: ProgressCallback, name: str, total: int) -> None:
        self._progress = progress
        self._name = name
        self._total = total
        self._step = max(total // 50, 1 << 24)
        self._seen = 0

    def __call__(self, done: int) -> None:
        if done - self._seen >= self._step:
            self._seen = done
            self._progress(FetchProgress("verify", self._name, done, self._total))


def check_folder(
    folder: Path,
    entry: ModelEntry,
    progress: ProgressCallback = no_progress,
    cancel: threading.Event | None = None,
    *,
    contents: bool = True,
) -> None:
    """Raise `IntegrityError` naming the file and the reason unless `folder` matches `entry`."""
    if not folder.is_dir():
        raise IntegrityError(
            phrase(
                "{entry_label} is missing its folder {folder}; reinstall it.",
                entry_label=entry.label,
                folder=folder,
            )
        )
    listed = {f.path for f in entry.files}
    for present in sorted(folder.iterdir()):
        if present.name not in listed:
            raise IntegrityError(
                phrase(
                    "{entry_label}: {present_name} in {folder} is not part of the "
                    "signed model; remove it or reinstall the model.",
                    entry_label=entry.label,
                    present_name=present.name,
                    folder=folder,
                )
            )
    for file in entry.files:
        path = folder / file.path
        if not path.is_file():
            raise IntegrityError(
                phrase(
                    "{entry_label}: {file_path} is missing; reinstall the model.",
                    entry_label=entry.label,
                    file_path=file.path,
                )
            )
        size = path.stat().st_size
        if size != file.size:
            change = phrase("truncated") if size < file.size else phrase("extended")
            raise IntegrityError(
                phrase(
                    "{entry_label}: {file_path} was {change} ({size} bytes, signed "
                    "size {file_size}); reinstall the model.",
                    entry_label=entry.label,
                    file_path=file.path,
                    change=change,
                    size=format(size, ","),
                    file_size=format(file.size, ","),
                )
            )
        if not contents:
            continue
        progress(FetchProgress("verify", file.path, 0, file.size))
        report = _Throttled(progress, file.path, file.size)
        if sha256_file(path, cancel, report) != file.sha256:
            raise IntegrityError(
                phrase(
                    "{entry_label}: {file_path} does not match its signed sha256 (the "
                    "bytes were modified or damaged); reinstall the model.",
                    entry_label=entry.label,
                    file_path=file.path,
                )
            )
        progress(FetchProgress("verify", file.path, file.size, file.size))
