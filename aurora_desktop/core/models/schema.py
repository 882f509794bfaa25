"""JSON Schemas of the model catalog and the store's `model_manifest.json`.

`python -m aurora_desktop.core.models.schema DIR` writes them as files for other tools.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

MODEL_KINDS = ["llm", "embedding", "tts", "asr"]
MODEL_FORMATS = ["gguf", "onnx", "onnx-genai", "safetensors", "bin"]
SHA256_HEX = "^[0-9a-f]{64}$"
VERSION_PATTERN = r"^[0-9]+(\.[0-9]+){0,3}([-+][0-9A-Za-z.-]{1,32})?$"
NAME_PATTERN = r"^[a-z0-9][a-z0-9._-]{0,63}$"
FILE_NAME_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$"  # no folders, no "..", no spaces

SOURCE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["type"],
    "properties": {"type": {"enum": ["wheel", "url", "file"]}},
}


def file_schema(*, with_source: bool) -> dict[str, Any]:
    props: dict[str, Any] = {
        "path": {"type": "string", "pattern": FILE_NAME_PATTERN},
        "size": {"type": "integer", "minimum": 1},
        "sha256": {"type": "string", "pattern": SHA256_HEX},
    }
    required = ["path", "size", "sha256"]
    if with_source:
        props["source"] = SOURCE_SCHEMA
        required.append("source")
    return {
        "type": "object",
        "required": required,
        "properties": props,
        "additionalProperties": False,
    }


def entry_schema(*, with_source: bool) -> dict[str, Any]:
    figure = {"type": "number", "minimum": 0, "maximum": 4096}
    return {
        "type": "object",
        "required": [
            "name",
            "version",
            "kind",
            "format",
            "hash",
            "size",
            "files",
            "ram_gb",
            "vram_gb",
            "max_context",
            "tasks",
            "key_id",
            "signature",
        ],
        "properties": {
            "name": {"type": "string", "pattern": NAME_PATTERN},
            "display_name": {"type": "string", "minLength": 1, "maxLength": 100},
            "version": {"type": "string", "pattern": VERSION_PATTERN},
            "kind": {"enum": MODEL_KINDS},
            "format": {"enum": MODEL_FORMATS},
            "hash": {"type": "string", "pattern": "^sha256:[0-9a-f]{64}$"},
            "size": {"type": "integer", "minimum": 1},
            "files": {
                "type": "array",
                "minItems": 1,
                "maxItems": 64,
                "items": file_schema(with_source=with_source),
            },
            "ram_gb": figure,
            "vram_gb": figure,
            "max_context": {"type": "integer", "minimum": 1, "maximum": 10_000_000},
            "tasks": {
                "type": "array",
                "maxItems": 32,
                "items": {"type": "string", "pattern": "^[a-z_]{1,40}$"},
            },
            "expires": {"type": "string", "maxLength": 40},
            "key_id": {"type": "string", "pattern": "^[0-9a-f]{16}$"},
            "signature": {"type": "string", "pattern": "^ed25519:[A-Za-z0-9+/]{86}==$"},
        },
        "additionalProperties": False,
    }


CATALOG_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "Aurora model catalog",
    "type": "object",
    "required": ["catalog_version", "default_llm", "models"],
    "properties": {
        "catalog_version": {"const": 1},
        "default_llm": {"type": "string", "pattern": NAME_PATTERN},
        "models": {"type": "array", "maxItems": 500, "items": entry_schema(with_source=True)},
    },
    "additionalProperties": False,
}

VERSION_RECORD_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["entry", "installed_at", "origin"],
    "properties": {
        "entry": entry_schema(with_source=False),
        "installed_at": {"type": "number"},
        "origin": {"enum": ["catalog", "import"]},
        "verified": {
            "type": "object",
            "required": ["at", "stat"],
            "properties": {
                "at": {"type": "number"},
                "stat": {
                    "type": "object",
                    "additionalProperties": {
                        "type": "array",
                        "items": {"type": "integer"},
                        "minItems": 3,
                        "maxItems": 3,
                    },
                },
            },
        },
    },
    "additionalProperties": False,
}

MANIFEST_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "Aurora model store manifest (model_manifest.json)",
    "type": "object",
    "required": ["manifest_version", "models"],
    "properties": {
        "manifest_version": {"const": 1},
        "models": {
            "type": "object",
            "propertyNames": {"pattern": NAME_PATTERN},
            "additionalProperties": {
                "type": "object",
                "required": ["active", "highest_seen", "versions"],
                "properties": {
                    "active": {"type": ["string", "null"]},
                    "highest_seen": {"type": ["string", "null"]},
                    "versions": {"type": "object", "additionalProperties": VERSION_RECORD_SCHEMA},
                },
                "additionalProperties": False,
            },
        },
    },
    "additionalProperties": False,
}


def main(argv: list[str]) -> int:
    out = Path(argv[0]) if argv else Path("aurora_desktop/resources/schemas")
    out.mkdir(parents=True, exist_ok=True)
    for name, schema in (("model_catalog", CATALOG_SCHEMA), ("model_manifest", MANIFEST_SCHEMA)):
        (out / f"{name}.schema.json").write_text(json.dumps(schema, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
