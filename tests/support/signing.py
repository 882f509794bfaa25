"""Publishers and signed model entries made at test time (real ed25519 keys)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from aurora_desktop.core.models.keys import PublicKeyFile, make_key_file
from aurora_desktop.core.models.manifest import ModelEntry, parse_entry
from aurora_desktop.core.models.signing import sign_entry


@dataclass
class Publisher:
    private: Ed25519PrivateKey
    key: PublicKeyFile
    key_path: Path

    @property
    def key_id(self) -> str:
        return self.key.key_id


def make_publisher(folder: Path, owner: str = "Test publisher") -> Publisher:
    private = Ed25519PrivateKey.generate()
    key = make_key_file(private.public_key(), owner)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{key.key_id}.pub.json"
    path.write_text(key.to_json())
    return Publisher(private, key, path)


def signed_record(
    publisher: Publisher,
    *,
    name: str,
    version: str,
    files: dict[str, bytes],
    source_dir: Path,
    **extra: Any,
) -> dict[str, Any]:
    """A signed catalog entry whose files are real files in `source_dir` (file sources)."""
    folder = source_dir / f"{name}-{version}"
    folder.mkdir(parents=True, exist_ok=True)
    records = []
    for path, data in files.items():
        (folder / path).write_bytes(data)
        records.append(
            {"path": path, "size": len(data), "sha256": hashlib.sha256(data).hexdigest()}
        )
    entry: dict[str, Any] = {
        "name": name,
        "display_name": name.title(),
        "version": version,
        "kind": "llm",
        "format": "gguf",
        "hash": "sha256:" + records[0]["sha256"],
        "size": sum(r["size"] for r in records),
        "files": records,
        "ram_gb": 0.1,
        "vram_gb": 0,
        "max_context": 512,
        "tasks": ["chat"],
        **extra,
    }
    signed = sign_entry(entry, publisher.private)
    signed["files"] = [
        {**r, "source": {"type": "file", "path": str(folder / r["path"])}} for r in records
    ]
    return signed


def entry_of(record: dict[str, Any]) -> ModelEntry:
    return parse_entry(record, where="test", with_source=True)


def write_catalog(path: Path, records: list[dict[str, Any]], default: str) -> Path:
    path.write_text(json.dumps({"catalog_version": 1, "default_llm": default, "models": records}))
    return path
