"""Finds the files Aurora ships inside its package (icons, catalog, keys, translations)."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from aurora_desktop.core.errors import ConfigError
from aurora_desktop.core.text import phrase


def resources_dir() -> Path:
    """The package's `resources/` folder, in a checkout and in an installed wheel alike."""
    root = files("aurora_desktop") / "resources"
    if not isinstance(root, Path):
        raise ConfigError(
            phrase(
                "Aurora's resources must be plain files on disk, but {root} is "
                "inside an archive; reinstall Aurora.",
                root=root,
            )
        )
    return root


def resource_path(name: str) -> Path:
    return resources_dir() / name
