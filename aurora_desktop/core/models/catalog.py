"""The catalog of installable models: what each one is and where its bytes come from."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aurora_desktop.core.errors import ModelError
from aurora_desktop.core.resources import resource_path

MAX_CATALOG_BYTES = 1_000_000


@dataclass(frozen=True, slots=True, kw_only=True)
class WheelSource:
    """A file stored as a member of a wheel on the Python package index."""

    package: str
    version: str
    member: str


@dataclass(frozen=True, slots=True, kw_only=True)
class ModelFile:
    path: str
    size: int
    sha256: str
    source: WheelSource


@dataclass(frozen=True, slots=True, kw_only=True)
class CatalogEntry:
    name: str
    display_name: str
    version: str
    kind: str
    format: str
    ram_gb: float
    max_context: int
    tasks: tuple[str, ...]
    files: tuple[ModelFile, ...]

    @property
    def main_file(self) -> ModelFile:
        return self.files[0]


@dataclass(frozen=True, slots=True)
class Catalog:
    default_llm: str
    entries: tuple[CatalogEntry, ...]

    def get(self, name: str) -> CatalogEntry:
        for entry in self.entries:
            if entry.name == name:
                return entry
        known = ", ".join(e.name for e in self.entries) or "none"
        raise ModelError(f"No model named {name!r} in the catalog; known models: {known}.")

    @property
    def default(self) -> CatalogEntry:
        return self.get(self.default_llm)


def load_catalog(path: Path | None = None) -> Catalog:
    """Read and check the catalog; any defect raises one `ModelError`."""
    path = path or resource_path("catalog.json")
    try:
        if path.stat().st_size > MAX_CATALOG_BYTES:
            raise ModelError(f"The model catalog {path} is too large to be genuine.")
        data = json.loads(path.read_text(encoding="utf-8"))
        return Catalog(
            default_llm=str(data["default_llm"]),
            entries=tuple(_entry(raw) for raw in data["models"]),
        )
    except OSError as exc:
        raise ModelError(f"The model catalog {path} cannot be read ({exc.strerror}).") from exc
    except (ValueError, KeyError, TypeError, IndexError) as exc:
        raise ModelError(f"The model catalog {path} is malformed ({exc!r}).") from exc


def _entry(raw: dict[str, Any]) -> CatalogEntry:
    files = tuple(
        ModelFile(
            path=str(f["path"]),
            size=int(f["size"]),
            sha256=str(f["sha256"]).lower(),
            source=WheelSource(
                package=str(f["source"]["package"]),
                version=str(f["source"]["version"]),
                member=str(f["source"]["member"]),
            ),
        )
        for f in raw["files"]
    )
    if not files:
        raise ValueError(f"model {raw.get('name')!r} lists no files")
    return CatalogEntry(
        name=str(raw["name"]),
        display_name=str(raw.get("display_name", raw["name"])),
        version=str(raw["version"]),
        kind=str(raw["kind"]),
        format=str(raw["format"]),
        ram_gb=float(raw["ram_gb"]),
        max_context=int(raw["max_context"]),
        tasks=tuple(str(t) for t in raw["tasks"]),
        files=files,
    )
