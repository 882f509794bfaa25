"""The data folder: where it is, and a clear error when it cannot be used."""

from __future__ import annotations

from pathlib import Path

import pytest

from aurora_desktop.core.errors import ConfigError
from aurora_desktop.core.paths import AuroraHome, prepare_home, resolve_home


def test_env_var_overrides_the_platform_folder(tmp_path: Path) -> None:
    home = resolve_home({"AURORA_HOME": str(tmp_path / "h"), "AURORA_CACHE": str(tmp_path / "c")})
    assert home.root == tmp_path / "h"
    assert home.cache == tmp_path / "c"
    assert home.router_file == tmp_path / "h" / "model_router.json"


def test_without_env_var_uses_a_per_user_folder() -> None:
    home = resolve_home({})
    assert "aurora" in str(home.root).lower()


def test_prepare_creates_the_model_folders(tmp_path: Path) -> None:
    home = prepare_home(AuroraHome(root=tmp_path / "new", cache=tmp_path / "cache"))
    for kind in ("llm", "embedding", "tts", "asr"):
        assert (home.models / kind).is_dir()


def test_a_file_in_place_of_the_folder_is_refused(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    with pytest.raises(ConfigError, match="is a file, not a folder"):
        prepare_home(AuroraHome(root=blocker, cache=tmp_path))


def test_a_folder_that_cannot_be_created_is_refused(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(ConfigError, match="cannot read and write its data folder"):
        prepare_home(AuroraHome(root=blocker / "below", cache=tmp_path))


def test_unknown_model_kind_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="Unknown model kind"):
        AuroraHome(root=tmp_path, cache=tmp_path).model_dir("video", "x", "1")
