"""EmbeddingService.install: the model is fetched and verified through the real store when it
is missing, and not loaded (the desktop app installs both encoders this way)."""

from __future__ import annotations

from aurora_desktop.app.wiring import build_core
from aurora_desktop.core.embedding import DEFAULT_EMBEDDING_MODEL
from aurora_desktop.core.paths import AuroraHome


def test_install_places_the_model_without_loading_it(aurora_home: AuroraHome) -> None:
    core = build_core(
        {"AURORA_HOME": str(aurora_home.root), "AURORA_CACHE": str(aurora_home.cache)}
    )
    try:
        assert core.store.active(DEFAULT_EMBEDDING_MODEL) is None
        assert core.embedder.install() is True
        installed = core.store.active(DEFAULT_EMBEDDING_MODEL)
        assert installed is not None and installed.main_path.is_file()
        assert not core.embedder.loaded  # installed, not held in memory
        assert core.embedder.install() is False  # already there: nothing to do
        assert core.embedder.embed(["hello"]).shape == (1, 384)  # and it loads when used
    finally:
        core.close()
