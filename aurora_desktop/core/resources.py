"""Finds the files Aurora ships beside its code (icons, catalog, publisher keys)."""

from __future__ import annotations

import os
from pathlib import Path

RESOURCES_ENV = "AURORA_RESOURCES"


def resources_dir() -> Path:
    """The `resources/` folder: `AURORA_RESOURCES` if set, else the one beside the package."""
    raw = os.environ.get(RESOURCES_ENV, "").strip()
    if raw:
        return Path(raw)
    return Path(__file__).resolve().parents[2] / "resources"


def resource_path(name: str) -> Path:
    return resources_dir() / name
