"""Model entries (the signed records) and the store's `model_manifest.json`.

Everything read from disk passes the JSON Schema in `schema.py` and a few consistency
checks; any defect raises one `ManifestError` that says which file and what is wrong.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jsonschema

from aurora_desktop.core.errors import ConfigError, ManifestError
from aurora_desktop.core.models.schema import MANIFEST_SCHEMA, entry_schema
from aurora_desktop.core.models.sources import Source, parse_source
from aurora_desktop.core.text import phrase
from aurora_desktop.core.userfile import locked_update, read_user_bytes
from aurora_desktop.core.userinput import load_json

MAX_MANIFEST_BYTES = 4_000_000
_VALIDATORS = {
    name: jsonschema.Draft202012Validator(schema)
    for name, schema in (
        ("entry+source", entry_schema(with_source=True)),
        ("entry", entry_schema(with_source=False)),
        ("manifest", MANIFEST_SCHEMA),
    )
}


@dataclass(frozen=True, slots=True)
class FileRecord:
    path: str
    size: int
    sha256: str
    source: Source | None = None


@dataclass(frozen=True, slots=True)
class ModelEntry:
    """One signed model version; `record` is the exact signed dict (without sources)."""

    record: dict[str, Any]
    files: tuple[FileRecord, ...]

    @property
    def name(self) -> str:
        return str(self.record["name"])

    @property
    def version(self) -> str:
        return str(self.record["version"])

    @property
    def kind(self) -> str:
        return str(self.record["kind"])

    @property
    def format(self) -> str:
        return str(self.record["format"])

    @property
    def display_name(self) -> str:
        return str(self.record.get("display_name") or self.name)

    @property
    def ram_gb(self) -> float:
        return float(self.record["ram_gb"])

    @property
    def max_context(self) -> int:
        return int(self.record["max_context"])

    @property
    def size(self) -> int:
        return int(self.record["size"])

    @property
    def main_file(self) -> FileRecord:
        return self.files[0]

    @property
    def label(self) -> str:
        return f"{self.name} {self.version}"


def parse_entry(raw: object, *, where: str, with_source: bool) -> ModelEntry:
    """Check one entry against the schema and its own totals; raises `ManifestError`."""
    validator = _VALIDATORS["entry+source" if with_source else "entry"]
    error = jsonschema.exceptions.best_match(validator.iter_errors(raw))
    if error is not None:
        at = "/".join(str(p) for p in error.absolute_path) or phrase("entry")
        raise ManifestError(
            phrase("{where}: {at} is invalid ({error}).", where=where, at=at, error=error.message)
        )
    assert isinstance(raw, dict)
    files = []
    for item in raw["files"]:
        source = None
        if with_source:
            try:
                source = parse_source(item["source"])
            except ValueError as exc:
                raise ManifestError(
                    phrase(
                        "{where}: the source of {item_path} is invalid ({exc}).",
                        where=where,
                        item_path=item["path"],
                        exc=exc,
                    )
                ) from exc
        files.append(FileRecord(item["path"], int(item["size"]), item["sha256"], source))
    record = dict(raw)
    record["files"] = [{"path": f.path, "size": f.size, "sha256": f.sha256} for f in files]
    label = f"{raw['name']} {raw['version']}"
    if len({f.path for f in files}) != len(files):
        raise ManifestError(
            phrase("{where}: {label} lists the same file twice.", where=where, label=label)
        )
    if raw["hash"] != f"sha256:{files[0].sha256}":
        raise ManifestError(
            phrase(
                "{where}: {label} has a hash that is not its first file's sha256.",
                where=where,
                label=label,
            )
        )
    if raw["size"] != sum(f.size for f in files):
        raise ManifestError(
            phrase(
                "{where}: {label} has a size that is not the sum of its files.",
                where=where,
                label=label,
            )
        )
    return ModelEntry(record, tuple(files))


def version_key(version: str) -> tuple[tuple[int, ...], int, str]:
    """Order versions numerically; a pre-release (1.0.0-rc1) sorts before its release."""
    match = re.match(r"^([0-9]+(?:\.[0-9]+)*)(?:([-+])(.*))?$", version)
    if match is None:
        return (), 0, version
    numbers = tuple(int(part) for part in match[1].split("."))
    is_release = 0 if match[2] == "-" else 1
    return numbers + (0,) * (4 - len(numbers)), is_release, match[3] or ""


def read_store_manifest(path: Path) -> dict[str, Any]:
    """The store manifest, or an empty one if none exists yet; raises `ManifestError`."""
    return parse_store_manifest(read_manifest_bytes(path), path)


def read_manifest_bytes(path: Path) -> bytes | None:
    """The store manifest's bytes as they are on disk (None: no manifest yet)."""
    try:
        return read_user_bytes(path, limit=MAX_MANIFEST_BYTES, what=f"The model manifest {path}")
    except ConfigError as exc:
        raise ManifestError(exc.args[0] if exc.args else str(exc)) from exc


def parse_store_manifest(raw: bytes | None, path: Path) -> dict[str, Any]:
    """The manifest in `raw` (None: no manifest yet), schema-checked; raises `ManifestError`."""
    if raw is None:
        return {"manifest_version": 1, "models": {}}
    try:
        data = load_json(raw, what=f"The model manifest {path}", error=ManifestError)
    except RecursionError as exc:  # pragma: no cover - load_json checks the depth first
        raise ManifestError(
            phrase("The model manifest {path} is nested too deeply.", path=path)
        ) from exc
    error = jsonschema.exceptions.best_match(_VALIDATORS["manifest"].iter_errors(data))
    if error is not None:
        at = "/".join(str(p) for p in error.absolute_path) or phrase("top level")
        raise ManifestError(
            phrase(
                "The model manifest {path} is invalid at {at} ({error}).",
                path=path,
                at=at,
                error=error.message,
            )
        )
    assert isinstance(data, dict)
    return data


def dump_store_manifest(data: dict[str, Any]) -> str:
    """The manifest as written to disk; refuses what could not be read back."""
    error = jsonschema.exceptions.best_match(_VALIDATORS["manifest"].iter_errors(data))
    if error is not None:
        raise ManifestError(
            phrase("Refusing to write an invalid model manifest ({error}).", error=error.message)
        )
    return json.dumps(data, indent=2, sort_keys=True) + "\n"


def update_store_manifest(path: Path, change: Callable[[dict[str, Any]], None]) -> dict[str, Any]:
    """Change the manifest through the one locked read-modify-write path (core/userfile.py)."""

    def apply(manifest: dict[str, Any]) -> dict[str, Any]:
        change(manifest)
        return manifest

    try:
        return locked_update(
            path,
            apply,
            load=lambda raw: parse_store_manifest(raw, path),
            dump=dump_store_manifest,
            limit=MAX_MANIFEST_BYTES,
            what=f"The model manifest {path}",
        )
    except ConfigError as exc:
        raise ManifestError(str(exc)) from exc
