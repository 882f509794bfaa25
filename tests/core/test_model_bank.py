"""The session's model bank: each real model installed once, every session home built from it."""

from __future__ import annotations

import json
from pathlib import Path

from aurora_desktop.app.wiring import build_core
from aurora_desktop.core.embedding import DEFAULT_EMBEDDING_MODEL, MULTILINGUAL_EMBEDDING_MODEL
from aurora_desktop.core.models.store import MANIFEST_NAME
from aurora_desktop.core.paths import AuroraHome
from tests.support.model_bank import ModelBank


def _manifest_models(home: AuroraHome) -> set[str]:
    return set(json.loads((home.models / MANIFEST_NAME).read_text("utf-8"))["models"])


def test_each_model_is_installed_once_and_each_home_holds_only_its_own(
    model_bank: ModelBank,
    seeded_home: AuroraHome,
    embedding_home: AuroraHome,
    multilingual_home: AuroraHome,
    full_seed: AuroraHome,
) -> None:
    assert len(model_bank.installed) == len(set(model_bank.installed)) == 3
    (llm,) = _manifest_models(seeded_home)
    assert _manifest_models(embedding_home) == {DEFAULT_EMBEDDING_MODEL}
    assert _manifest_models(multilingual_home) == {MULTILINGUAL_EMBEDDING_MODEL}
    assert _manifest_models(full_seed) == set(model_bank.installed)
    assert set(model_bank.installed) == {llm, DEFAULT_EMBEDDING_MODEL, MULTILINGUAL_EMBEDDING_MODEL}
    for home in (seeded_home, embedding_home, multilingual_home, full_seed):
        files = [p for p in home.models.glob("*/*/*/*") if p.is_file()]  # KIND/NAME/VERSION/file
        assert files
        for linked in files:
            original = model_bank.home.models / linked.relative_to(home.models)
            assert linked.stat().st_ino == original.stat().st_ino  # a hard link, not a copy


def test_a_home_from_the_bank_verifies_like_an_installed_one(
    model_bank: ModelBank, tmp_path: Path
) -> None:
    home = model_bank.home_with(tmp_path / "from-bank", DEFAULT_EMBEDDING_MODEL)
    core = build_core({"AURORA_HOME": str(home.root), "AURORA_CACHE": str(home.cache)})
    try:
        verified = core.store.verify(DEFAULT_EMBEDDING_MODEL)  # signature, seal, every sha256
        assert verified.active and verified.origin == "catalog"
        assert [iv.entry.name for iv in core.store.all_versions()] == [DEFAULT_EMBEDDING_MODEL]
    finally:
        core.close()
