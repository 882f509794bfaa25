"""Bringing a model file the user already has: hash it, sign it with the local key, install."""

from __future__ import annotations

import re
import threading
from pathlib import Path

from aurora_desktop.core.errors import ModelError
from aurora_desktop.core.models.fetch import FetchProgress, ProgressCallback, sha256_file
from aurora_desktop.core.models.local_key import LocalSigner
from aurora_desktop.core.models.manifest import parse_entry
from aurora_desktop.core.models.progress import no_progress
from aurora_desktop.core.models.schema import (
    FILE_NAME_PATTERN,
    MODEL_FORMATS,
    NAME_PATTERN,
    VERSION_PATTERN,
)
from aurora_desktop.core.models.store import InstallResult, ModelStore
from aurora_desktop.core.text import phrase

FORMAT_BY_SUFFIX = {".gguf": "gguf", ".onnx": "onnx", ".safetensors": "safetensors"}


def guess_format(path: Path) -> str:
    fmt = FORMAT_BY_SUFFIX.get(path.suffix.lower())
    if fmt is None:
        raise ModelError(
            phrase(
                "Cannot tell the format of {path_name}; pass --format ({join_MODEL_FORMATS}).",
                path_name=path.name,
                join_MODEL_FORMATS=", ".join(MODEL_FORMATS),
            )
        )
    return fmt


def import_model(
    store: ModelStore,
    signer: LocalSigner,
    path: Path,
    *,
    name: str,
    version: str,
    kind: str = "llm",
    fmt: str | None = None,
    max_context: int = 2048,
    tasks: tuple[str, ...] = ("chat",),
    progress: ProgressCallback = no_progress,
    cancel: threading.Event | None = None,
) -> InstallResult:
    """Install a local file as NAME VERSION, signed by this computer's key (the user vouches)."""
    if not re.match(NAME_PATTERN, name):
        raise ModelError(
            phrase(
                "{name} is not a usable model name; use lowercase letters, "
                "digits, '.', '-' or '_'.",
                name=repr(name),
            )
        )
    if not re.match(VERSION_PATTERN, version):
        raise ModelError(
            phrase("{version} is not a version number like 1.0.0.", version=repr(version))
        )
    if not path.is_file():
        raise ModelError(phrase("{path} is not a file that can be imported.", path=path))
    fmt = fmt or guess_format(path)
    size = path.stat().st_size
    progress(FetchProgress("verify", path.name, 0, size))
    digest = sha256_file(path, cancel)
    progress(FetchProgress("verify", path.name, size, size))
    file_name = path.name if re.match(FILE_NAME_PATTERN, path.name) else f"{name}.{fmt}"
    record = {
        "name": name,
        "display_name": name,
        "version": version,
        "kind": kind,
        "format": fmt,
        "hash": f"sha256:{digest}",
        "size": size,
        "files": [{"path": file_name, "size": size, "sha256": digest}],
        "ram_gb": round(size / 1e9 * 1.3 + 0.1, 2),
        "vram_gb": 0,
        "max_context": max_context,
        "tasks": list(tasks),
    }
    signed = signer.sign(record)
    signed["files"] = [{**signed["files"][0], "source": {"type": "file", "path": str(path)}}]
    entry = parse_entry(signed, where=phrase("import of {path}", path=path), with_source=True)
    return store.install(entry, origin="import", progress=progress, cancel=cancel)
